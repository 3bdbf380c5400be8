namespace Freshet.Perf.Load;

/// <summary>What one <c>freshet perf</c> run is asked to do, after parsing and validation.</summary>
public sealed record LoadSettings
{
    public string BootstrapServers { get; init; } = "127.0.0.1:9092";

    public string Topic { get; init; } = "freshet-perf";

    /// <summary>Records to send or receive in total; null when the run is bounded by <see cref="Duration"/>.</summary>
    public long? NumRecords { get; init; }

    public TimeSpan? Duration { get; init; }

    public int RecordSize { get; init; } = 100;

    /// <summary>Payloads to cycle through instead of random bytes of <see cref="RecordSize"/>.</summary>
    public string? PayloadFile { get; init; }

    public int Partitions { get; init; } = 1;

    /// <summary>Replication factor of the topic when the run creates it.</summary>
    public short ReplicationFactor { get; init; } = 1;

    /// <summary>0, 1 or -1 (all).</summary>
    public int Acks { get; init; } = 1;

    public string Compression { get; init; } = "none";

    public double? LingerMs { get; init; }

    public int? BatchSize { get; init; }

    public int Producers { get; init; } = 1;

    public int Consumers { get; init; } = 1;

    /// <summary>Target records per second over all producers; -1 for as fast as possible.</summary>
    public double Throughput { get; init; } = -1;

    /// <summary>Consume: stop when no record arrives for this long.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>End to end: records sent before measuring starts (connections, metadata, first fetch).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Extra librdkafka properties, key=value, applied last.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ClientProperties { get; init; } = [];

    public bool Json { get; init; }
}
