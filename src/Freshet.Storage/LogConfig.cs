namespace Freshet.Storage;

/// <summary>Per-log settings, with Kafka's defaults; the Kafka property name is on each.</summary>
public sealed class LogConfig
{
    /// <summary>segment.bytes</summary>
    public int SegmentBytes { get; init; } = 1073741824;

    /// <summary>segment.ms: a segment older than this (by its first append) rolls on the next append.</summary>
    public long SegmentMs { get; init; } = 604800000;

    /// <summary>index.interval.bytes: one sparse index entry per this many bytes of log.</summary>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary>segment.index.bytes: the preallocated size of each index; a full index rolls the segment.</summary>
    public int SegmentIndexBytes { get; init; } = 10485760;

    /// <summary>retention.ms</summary>
    public long RetentionMs { get; init; } = 604800000;

    /// <summary>retention.bytes (-1: unbounded)</summary>
    public long RetentionBytes { get; init; } = -1;

    /// <summary>flush.messages: fsync once this many messages are unflushed (1: before every acknowledgement).</summary>
    public long FlushIntervalMessages { get; init; } = long.MaxValue;

    /// <summary>max.message.bytes: the largest batch accepted.</summary>
    public int MaxMessageBytes { get; init; } = 1048588;

    /// <summary>cleanup.policy</summary>
    public string CleanupPolicy { get; init; } = "delete";

    /// <summary>message.timestamp.type=LogAppendTime: the broker stamps each batch's max timestamp.</summary>
    public bool LogAppendTime { get; init; }
}
