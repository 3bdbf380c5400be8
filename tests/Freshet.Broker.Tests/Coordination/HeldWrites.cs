using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Tests.Coordination;

/// <summary>
/// Stands for the follower replicas of an in-memory internal topic: while <see cref="Holding"/>, a write is local only
/// and becomes durable (or fails) when the test releases it, as when the high watermark moves (or the ISR shrinks).
/// </summary>
internal sealed class HeldWrites
{
    private readonly List<TaskCompletionSource<ErrorCode>> _held = [];

    public bool Holding { get; set; }

    public int Count
    {
        get
        {
            lock (_held)
            {
                return _held.Count;
            }
        }
    }

    public InternalWrite Complete(long logOffset)
    {
        if (!Holding)
        {
            return InternalWrite.Durable(logOffset);
        }
        var replication = new TaskCompletionSource<ErrorCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_held)
        {
            _held.Add(replication);
        }
        return InternalWrite.Replicating(logOffset, replication.Task);
    }

    /// <summary>Completes the oldest held write alone: it became durable while the later ones are still on their way.</summary>
    public void ReleaseOldest()
    {
        TaskCompletionSource<ErrorCode> oldest;
        lock (_held)
        {
            oldest = _held[0];
            _held.RemoveAt(0);
        }
        oldest.SetResult(ErrorCode.None);
    }

    /// <summary>Completes every held write with <paramref name="outcome"/> (None: the in-sync replicas have it).</summary>
    public void Release(ErrorCode outcome = ErrorCode.None, bool newestFirst = false)
    {
        TaskCompletionSource<ErrorCode>[] held;
        lock (_held)
        {
            held = [.. _held];
            _held.Clear();
        }
        if (newestFirst)
        {
            Array.Reverse(held);
        }
        foreach (var write in held)
        {
            write.SetResult(outcome);
        }
    }
}
