using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Coordination;

/// <summary>
/// What the locked first step of a coordinator's change decided: an answer now (a check refused the change), or the
/// write of its records to the internal topic.
/// </summary>
internal readonly struct Appended<TAnswer>
{
    private Appended(TAnswer? answer, InternalWrite write, bool isWrite)
    {
        Answer = answer;
        Write = write;
        IsWrite = isWrite;
    }

    public TAnswer? Answer { get; }

    public InternalWrite Write { get; }

    public bool IsWrite { get; }

    public static Appended<TAnswer> Refused(TAnswer answer) => new(answer, default, false);

    public static Appended<TAnswer> Written(InternalWrite write) => new(default, write, true);
}

/// <summary>
/// A coordinator's change of state in Kafka's order: checked and appended under the state's lock, then adopted, under
/// the lock again, only once the write is durable (every in-sync replica has it), so nothing reads a change the
/// replicas could still lose and a failed write leaves the state as it was. The lock is not held while waiting; the
/// adopting step checks what may have changed meanwhile. With one replica the write is durable on return and the
/// change is adopted without leaving the lock.
/// </summary>
internal static class DurableChange
{
    /// <summary>
    /// Runs <paramref name="append"/> under <paramref name="gate"/>; when it wrote, runs <paramref name="adopt"/> under
    /// <paramref name="gate"/> with the write's final outcome (None, or the coordinator error already mapped from the
    /// append's) and answers what it gives.
    /// </summary>
    public static async ValueTask<TAnswer> ApplyAsync<TAnswer>(object gate, Func<Appended<TAnswer>> append, Func<InternalWrite, ErrorCode, TAnswer> adopt)
    {
        InternalWrite write;
        lock (gate)
        {
            var appended = append();
            if (!appended.IsWrite)
            {
                return appended.Answer!;
            }
            write = appended.Write;
            if (write.TryGetOutcome(out var outcome))
            {
                return adopt(write, outcome);
            }
        }
        var durable = await write.DurableAsync().ConfigureAwait(false);
        lock (gate)
        {
            return adopt(write, durable);
        }
    }
}
