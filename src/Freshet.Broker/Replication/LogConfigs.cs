using System.Globalization;
using Freshet.Broker.Configuration;
using Freshet.Protocol.Records;
using Freshet.Storage;

namespace Freshet.Broker.Replication;

/// <summary>A topic's log settings: its overrides on top of the broker's log.* defaults.</summary>
internal static class LogConfigs
{
    public static LogConfig For(BrokerOptions broker, IReadOnlyDictionary<string, string> overrides)
    {
        long Long(string key, long fallback) =>
            overrides.TryGetValue(key, out var text) ? long.Parse(text, CultureInfo.InvariantCulture) : fallback;
        int Int(string key, int fallback) =>
            overrides.TryGetValue(key, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        string Text(string key, string fallback) => overrides.TryGetValue(key, out var text) ? text : fallback;

        return new LogConfig
        {
            SegmentBytes = Int("segment.bytes", broker.LogSegmentBytes),
            SegmentMs = Long("segment.ms", broker.LogRollMs),
            SegmentJitterMs = Long("segment.jitter.ms", broker.LogRollJitterMs),
            IndexIntervalBytes = Int("index.interval.bytes", broker.LogIndexIntervalBytes),
            SegmentIndexBytes = Int("segment.index.bytes", broker.LogIndexSizeMaxBytes),
            RetentionMs = Long("retention.ms", broker.LogRetentionMs),
            RetentionBytes = Long("retention.bytes", broker.LogRetentionBytes),
            FileDeleteDelayMs = Long("file.delete.delay.ms", broker.LogSegmentDeleteDelayMs),
            FlushIntervalMessages = Long("flush.messages", broker.LogFlushIntervalMessages),
            FlushMs = Long("flush.ms", broker.LogFlushIntervalMs),
            MaxMessageBytes = Int("max.message.bytes", broker.MessageMaxBytes),
            CleanupPolicy = Text("cleanup.policy", broker.LogCleanupPolicy),
            MinCleanableDirtyRatio = overrides.TryGetValue("min.cleanable.dirty.ratio", out var ratio)
                ? double.Parse(ratio, CultureInfo.InvariantCulture)
                : broker.LogCleanerMinCleanableRatio,
            MinCompactionLagMs = Long("min.compaction.lag.ms", broker.LogCleanerMinCompactionLagMs),
            MaxCompactionLagMs = Long("max.compaction.lag.ms", broker.LogCleanerMaxCompactionLagMs),
            DeleteRetentionMs = Long("delete.retention.ms", broker.LogCleanerDeleteRetentionMs),
            LogAppendTime = string.Equals(Text("message.timestamp.type", broker.LogMessageTimestampType), "LogAppendTime", StringComparison.Ordinal),
            TargetCompression = TargetCompression(Text("compression.type", broker.CompressionType)),
            MessageTimestampBeforeMaxMs = Long("message.timestamp.before.max.ms", broker.LogMessageTimestampBeforeMaxMs),
            MessageTimestampAfterMaxMs = Long("message.timestamp.after.max.ms", broker.LogMessageTimestampAfterMaxMs),
        };
    }

    /// <summary>min.insync.replicas: a replication setting, kept beside the log settings because Kafka keeps it with them.</summary>
    public static int MinInSyncReplicas(BrokerOptions broker, IReadOnlyDictionary<string, string> overrides) =>
        overrides.TryGetValue("min.insync.replicas", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : broker.MinInsyncReplicas;

    /// <summary>Kafka's compression.type names; <c>producer</c> (null) keeps whatever codec the producer used.</summary>
    public static CompressionType? TargetCompression(string compressionType) => compressionType switch
    {
        "producer" => null,
        "uncompressed" => CompressionType.None,
        "gzip" => CompressionType.Gzip,
        "snappy" => CompressionType.Snappy,
        "lz4" => CompressionType.Lz4,
        "zstd" => CompressionType.Zstd,
        _ => throw new ArgumentException($"compression.type '{compressionType}' is not one of producer, uncompressed, gzip, snappy, lz4, zstd.", nameof(compressionType)),
    };
}
