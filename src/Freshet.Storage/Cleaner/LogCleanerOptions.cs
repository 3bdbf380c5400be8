namespace Freshet.Storage.Cleaner;

/// <summary>The broker-wide log.cleaner.* settings; per-log settings (ratio, lags, delete retention) are on <see cref="LogConfig"/>.</summary>
public sealed class LogCleanerOptions
{
    /// <summary>log.cleaner.threads</summary>
    public int Threads { get; init; } = 1;

    /// <summary>log.cleaner.backoff.ms: the sleep when no log needs cleaning.</summary>
    public long BackoffMs { get; init; } = 15000;

    /// <summary>log.cleaner.dedupe.buffer.size: memory for the key → offset maps, divided among the threads.</summary>
    public long DedupeBufferSize { get; init; } = 128L * 1024 * 1024;

    /// <summary>Keys one thread's map holds: 24 bytes per entry (a 16-byte hash and an offset), as Kafka counts.</summary>
    internal int MapCapacity => (int)Math.Clamp(DedupeBufferSize / Math.Max(1, Threads) / 24, 1, int.MaxValue);
}
