namespace Freshet.Protocol.Records;

/// <summary>The header fields a caller chooses when building a batch; the defaults are a plain, non-idempotent CreateTime batch.</summary>
public sealed record RecordBatchOptions
{
    public long BaseOffset { get; init; }

    public int PartitionLeaderEpoch { get; init; } = -1;

    public CompressionType Compression { get; init; } = CompressionType.None;

    public TimestampType TimestampType { get; init; } = TimestampType.CreateTime;

    /// <summary>-1 when the producer is not idempotent.</summary>
    public long ProducerId { get; init; } = -1;

    public short ProducerEpoch { get; init; } = -1;

    public int BaseSequence { get; init; } = -1;

    public bool IsTransactional { get; init; }

    public bool IsControl { get; init; }

    /// <summary>
    /// The batch's lastOffsetDelta when it must outlive its last record (the cleaner keeps a batch's offset range
    /// even when it drops the records at its end); null: the last record's delta.
    /// </summary>
    public int? LastOffsetDelta { get; init; }

    /// <summary>
    /// Kafka's delete horizon (KIP-534): when set, attribute bit 6 is set and baseTimestamp holds the horizon, the
    /// time after which the cleaner drops the batch's tombstones; record timestamps stay exact through their deltas.
    /// </summary>
    public long? DeleteHorizonMs { get; init; }
}
