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
}
