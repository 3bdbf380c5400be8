namespace Freshet.Perf.Measure;

/// <summary>The outcome of one perf run: what was moved, how fast, and (for produce and e2e) how long each record took.</summary>
public sealed record LoadResult
{
    /// <summary>produce, consume or e2e.</summary>
    public required string Kind { get; init; }

    public required string Topic { get; init; }

    public required long Records { get; init; }

    public required long Bytes { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>Records the client reported as failed (delivery errors).</summary>
    public long Errors { get; init; }

    /// <summary>Send to acknowledgement (produce) or send to receipt (e2e); null for consume.</summary>
    public LatencyHistogram? Latency { get; init; }

    /// <summary>How the run was set up, for the report header: partitions, record size, acks, compression...</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Setup { get; init; } = [];

    public double RecordsPerSecond => Elapsed.TotalSeconds > 0 ? Records / Elapsed.TotalSeconds : 0;

    /// <summary>MiB per second, as Kafka's perf tools count a megabyte.</summary>
    public double MegabytesPerSecond => Elapsed.TotalSeconds > 0 ? Bytes / (1024.0 * 1024.0) / Elapsed.TotalSeconds : 0;
}
