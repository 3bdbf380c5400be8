using Freshet.Protocol.Records;

namespace Freshet.Storage;

/// <summary>Per-log settings, with Kafka's defaults; the Kafka property name is on each.</summary>
public sealed class LogConfig
{
    /// <summary>segment.bytes</summary>
    public int SegmentBytes { get; init; } = 1073741824;

    /// <summary>segment.ms: a segment older than this (by its first append) rolls on the next append.</summary>
    public long SegmentMs { get; init; } = 604800000;

    /// <summary>segment.jitter.ms: each segment rolls up to this much earlier than segment.ms, chosen at random per segment.</summary>
    public long SegmentJitterMs { get; init; }

    /// <summary>index.interval.bytes: one sparse index entry per this many bytes of log.</summary>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary>segment.index.bytes: the preallocated size of each index; a full index rolls the segment.</summary>
    public int SegmentIndexBytes { get; init; } = 10485760;

    /// <summary>retention.ms</summary>
    public long RetentionMs { get; init; } = 604800000;

    /// <summary>retention.bytes (-1: unbounded)</summary>
    public long RetentionBytes { get; init; } = -1;

    /// <summary>file.delete.delay.ms: how long a deleted segment's <c>.deleted</c> files stay for reads already under way.</summary>
    public long FileDeleteDelayMs { get; init; } = 60000;

    /// <summary>cleanup.policy includes <c>delete</c>: retention.ms and retention.bytes apply.</summary>
    public bool DeletePolicy => CleanupPolicy.Split(',').Any(p => p.Trim() == "delete");

    /// <summary>flush.messages: fsync once this many messages are unflushed (1: before every acknowledgement).</summary>
    public long FlushIntervalMessages { get; init; } = long.MaxValue;

    /// <summary>flush.ms: fsync once the last fsync is this old and data is unflushed (checked every log.flush.scheduler.interval.ms).</summary>
    public long FlushMs { get; init; } = long.MaxValue;

    /// <summary>max.message.bytes: the largest batch accepted.</summary>
    public int MaxMessageBytes { get; init; } = 1048588;

    /// <summary>cleanup.policy</summary>
    public string CleanupPolicy { get; init; } = "delete";

    /// <summary>min.cleanable.dirty.ratio: the dirty share of a compacted log at which the cleaner picks it.</summary>
    public double MinCleanableDirtyRatio { get; init; } = 0.5;

    /// <summary>min.compaction.lag.ms: records younger than this stay uncompacted.</summary>
    public long MinCompactionLagMs { get; init; }

    /// <summary>max.compaction.lag.ms: a log whose oldest dirty record is older than this is cleaned whatever its ratio.</summary>
    public long MaxCompactionLagMs { get; init; } = long.MaxValue;

    /// <summary>delete.retention.ms: how long a tombstone stays readable after the cleaner first sees it.</summary>
    public long DeleteRetentionMs { get; init; } = 86400000;

    /// <summary>cleanup.policy contains compact.</summary>
    public bool IsCompacted => CleanupPolicy.Split(',').Any(p => p.Trim() == "compact");

    /// <summary>message.timestamp.type=LogAppendTime: the broker stamps each batch's max timestamp.</summary>
    public bool LogAppendTime { get; init; }

    /// <summary>compression.type: the codec every stored batch is recompressed to; null keeps the producer's (<c>producer</c>).</summary>
    public CompressionType? TargetCompression { get; init; }

    /// <summary>message.timestamp.before.max.ms: how far in the past a CreateTime record may be.</summary>
    public long MessageTimestampBeforeMaxMs { get; init; } = long.MaxValue;

    /// <summary>message.timestamp.after.max.ms: how far in the future a CreateTime record may be.</summary>
    public long MessageTimestampAfterMaxMs { get; init; } = 3600000;

    /// <summary>Kafka's lower bounds for each setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public LogConfig Validate()
    {
        Check(SegmentBytes >= 14, "segment.bytes", SegmentBytes, ">= 14");
        Check(SegmentMs >= 1, "segment.ms", SegmentMs, ">= 1");
        Check(SegmentJitterMs >= 0, "segment.jitter.ms", SegmentJitterMs, ">= 0");
        Check(IndexIntervalBytes >= 0, "index.interval.bytes", IndexIntervalBytes, ">= 0");
        Check(SegmentIndexBytes >= 12, "segment.index.bytes", SegmentIndexBytes, ">= 12 (one time index entry)");
        Check(RetentionMs >= -1, "retention.ms", RetentionMs, ">= -1");
        Check(FileDeleteDelayMs >= 0, "file.delete.delay.ms", FileDeleteDelayMs, ">= 0");
        Check(FlushIntervalMessages >= 1, "flush.messages", FlushIntervalMessages, ">= 1");
        Check(FlushMs >= 0, "flush.ms", FlushMs, ">= 0");
        Check(MaxMessageBytes >= 0, "max.message.bytes", MaxMessageBytes, ">= 0");
        Check(MessageTimestampBeforeMaxMs >= 0, "message.timestamp.before.max.ms", MessageTimestampBeforeMaxMs, ">= 0");
        Check(MessageTimestampAfterMaxMs >= 0, "message.timestamp.after.max.ms", MessageTimestampAfterMaxMs, ">= 0");
        Check(MinCleanableDirtyRatio is >= 0 and <= 1, "min.cleanable.dirty.ratio", MinCleanableDirtyRatio, "between 0 and 1");
        Check(MinCompactionLagMs >= 0, "min.compaction.lag.ms", MinCompactionLagMs, ">= 0");
        Check(MaxCompactionLagMs >= 1, "max.compaction.lag.ms", MaxCompactionLagMs, ">= 1");
        Check(DeleteRetentionMs >= 0, "delete.retention.ms", DeleteRetentionMs, ">= 0");
        Check(CleanupPolicy.Split(',').All(p => p.Trim() is "delete" or "compact"), "cleanup.policy", CleanupPolicy, "delete and/or compact");
        return this;
    }

    private static void Check(bool valid, string name, object value, string rule)
    {
        if (!valid)
        {
            throw new ArgumentException($"{name}={value} is invalid; it must be {rule}.");
        }
    }
}
