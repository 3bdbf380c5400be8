using System.Buffers.Binary;

namespace Freshet.Protocol.Records;

/// <summary>
/// The fixed 61-byte header of a record batch (magic 2). Layout, big-endian:
/// <code>
///  0 baseOffset int64        8 batchLength int32 (bytes after this field)
/// 12 partitionLeaderEpoch int32   16 magic int8   17 crc uint32 (CRC-32C of bytes 21..end)
/// 21 attributes int16       23 lastOffsetDelta int32   27 baseTimestamp int64
/// 35 maxTimestamp int64     43 producerId int64        51 producerEpoch int16
/// 53 baseSequence int32     57 recordCount int32       61 records...
/// </code>
/// </summary>
public readonly record struct RecordBatchHeader(
    long BaseOffset,
    int BatchLength,
    int PartitionLeaderEpoch,
    sbyte Magic,
    uint Crc,
    short Attributes,
    int LastOffsetDelta,
    long BaseTimestamp,
    long MaxTimestamp,
    long ProducerId,
    short ProducerEpoch,
    int BaseSequence,
    int RecordCount)
{
    public const int Size = 61;

    /// <summary>baseOffset and batchLength: the part every magic shares, enough to find the next batch.</summary>
    public const int LogOverhead = 12;

    public const int BaseOffsetOffset = 0;
    public const int BatchLengthOffset = 8;
    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;
    public const int AttributesOffset = 21;
    public const int LastOffsetDeltaOffset = 23;
    public const int BaseTimestampOffset = 27;
    public const int MaxTimestampOffset = 35;
    public const int ProducerIdOffset = 43;
    public const int ProducerEpochOffset = 51;
    public const int BaseSequenceOffset = 53;
    public const int RecordCountOffset = 57;

    public const sbyte CurrentMagic = 2;

    internal const short CompressionMask = 0x07;
    internal const short TimestampTypeFlag = 0x08;
    internal const short TransactionalFlag = 0x10;
    internal const short ControlFlag = 0x20;
    internal const short DeleteHorizonFlag = 0x40;

    /// <summary>The whole batch on disk or on the wire: the 12-byte log overhead plus batchLength.</summary>
    public int TotalSize => LogOverhead + BatchLength;

    public long LastOffset => BaseOffset + LastOffsetDelta;

    public long NextOffset => LastOffset + 1;

    public CompressionType Compression => (CompressionType)(Attributes & CompressionMask);

    public TimestampType TimestampType => (Attributes & TimestampTypeFlag) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;

    public bool IsTransactional => (Attributes & TransactionalFlag) != 0;

    public bool IsControl => (Attributes & ControlFlag) != 0;

    public bool HasDeleteHorizon => (Attributes & DeleteHorizonFlag) != 0;

    /// <summary>Reads the header; the caller has checked that at least <see cref="Size"/> bytes exist.</summary>
    public static RecordBatchHeader Read(ReadOnlySpan<byte> batch) => new(
        BinaryPrimitives.ReadInt64BigEndian(batch),
        BinaryPrimitives.ReadInt32BigEndian(batch[BatchLengthOffset..]),
        BinaryPrimitives.ReadInt32BigEndian(batch[PartitionLeaderEpochOffset..]),
        (sbyte)batch[MagicOffset],
        BinaryPrimitives.ReadUInt32BigEndian(batch[CrcOffset..]),
        BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]),
        BinaryPrimitives.ReadInt32BigEndian(batch[LastOffsetDeltaOffset..]),
        BinaryPrimitives.ReadInt64BigEndian(batch[BaseTimestampOffset..]),
        BinaryPrimitives.ReadInt64BigEndian(batch[MaxTimestampOffset..]),
        BinaryPrimitives.ReadInt64BigEndian(batch[ProducerIdOffset..]),
        BinaryPrimitives.ReadInt16BigEndian(batch[ProducerEpochOffset..]),
        BinaryPrimitives.ReadInt32BigEndian(batch[BaseSequenceOffset..]),
        BinaryPrimitives.ReadInt32BigEndian(batch[RecordCountOffset..]));

    /// <summary>CRC-32C over attributes..end, the bytes the stored CRC covers.</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> batch) => Crc32C.Compute(batch[AttributesOffset..]);
}

public enum CompressionType : byte
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}

public enum TimestampType : byte
{
    CreateTime = 0,
    LogAppendTime = 1,
}
