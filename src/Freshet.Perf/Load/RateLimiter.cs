using System.Diagnostics;

namespace Freshet.Perf.Load;

/// <summary>
/// Paces sends to a target rate, as Kafka's ThroughputThrottler does: after each send, if the sender is ahead of
/// schedule it sleeps until the schedule catches up. Short waits spin so that high rates stay accurate.
/// </summary>
public sealed class RateLimiter
{
    private readonly double _ticksPerRecord;
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _sent;

    /// <param name="recordsPerSecond">-1 (or any value ≤ 0) for no limit.</param>
    public RateLimiter(double recordsPerSecond) =>
        _ticksPerRecord = recordsPerSecond > 0 ? Stopwatch.Frequency / recordsPerSecond : 0;

    public bool Unlimited => _ticksPerRecord == 0;

    public void WaitForNext()
    {
        if (Unlimited)
            return;
        _sent++;
        var due = _start + (long)(_sent * _ticksPerRecord);
        while (true)
        {
            var ahead = due - Stopwatch.GetTimestamp();
            if (ahead <= 0)
                return;
            var aheadMs = ahead * 1000 / Stopwatch.Frequency;
            if (aheadMs >= 2)
                Thread.Sleep((int)aheadMs - 1);
            else
                Thread.SpinWait(50);
        }
    }
}
