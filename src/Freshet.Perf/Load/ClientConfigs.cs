using Confluent.Kafka;

namespace Freshet.Perf.Load;

/// <summary>librdkafka configuration for the perf clients, from the run's settings.</summary>
public static class ClientConfigs
{
    public static ProducerConfig Producer(LoadSettings settings)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            Acks = settings.Acks switch
            {
                0 => Acks.None,
                1 => Acks.Leader,
                _ => Acks.All,
            },
            CompressionType = ParseCompression(settings.Compression),
            EnableIdempotence = false,
            // A load tool wants the client queue, not the broker, to be what pushes back.
            QueueBufferingMaxMessages = 1_000_000,
            QueueBufferingMaxKbytes = 1_048_576,
            MessageTimeoutMs = 120_000,
        };
        if (settings.LingerMs is { } linger)
            config.LingerMs = linger;
        if (settings.BatchSize is { } batchSize)
            config.BatchSize = batchSize;
        Apply(config, settings);
        return config;
    }

    public static ConsumerConfig Consumer(LoadSettings settings, string groupId)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            // Partitions are assigned directly; a group id is still required by the client.
            GroupId = groupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = false,
            // When its local queue holds queued.min.messages, librdkafka stops fetching for fetch.queue.backoff.ms,
            // 1 s by default. A broker that fills the queue faster than the tool drains it would then be measured
            // by that pause (a 200 MB read took 1.4 s instead of 0.5 s); Kafka's own perf consumer fetches again as
            // soon as its buffer drains. A short backoff keeps the client, not the pause, the limit.
            FetchQueueBackoffMs = 10,
        };
        Apply(config, settings);
        return config;
    }

    public static AdminClientConfig Admin(LoadSettings settings)
    {
        var config = new AdminClientConfig { BootstrapServers = settings.BootstrapServers };
        Apply(config, settings);
        return config;
    }

    public static CompressionType ParseCompression(string name) => name.ToLowerInvariant() switch
    {
        "none" => CompressionType.None,
        "gzip" => CompressionType.Gzip,
        "snappy" => CompressionType.Snappy,
        "lz4" => CompressionType.Lz4,
        "zstd" => CompressionType.Zstd,
        _ => throw new ArgumentException($"unknown compression '{name}' (none, gzip, snappy, lz4, zstd)", nameof(name)),
    };

    private static void Apply(ClientConfig config, LoadSettings settings)
    {
        foreach (var (key, value) in settings.ClientProperties)
            config.Set(key, value);
    }
}
