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

    /// <summary>Completes the oldest or the newest held write alone: it became durable while the others are still on their way.</summary>
    public void ReleaseOne(bool oldest)
    {
        TaskCompletionSource<ErrorCode> write;
        lock (_held)
        {
            var index = oldest ? 0 : _held.Count - 1;
            write = _held[index];
            _held.RemoveAt(index);
        }
        write.SetResult(ErrorCode.None);
    }

    /// <summary>Completes every held write with <paramref name="outcome"/> (None: the in-sync replicas have it).</summary>
    public void Release(ErrorCode outcome = ErrorCode.None)
    {
        TaskCompletionSource<ErrorCode>[] held;
        lock (_held)
        {
            held = [.. _held];
            _held.Clear();
        }
        foreach (var write in held)
        {
            write.SetResult(outcome);
        }
    }
}
