using System.Buffers.Binary;

namespace Freshet.Protocol.Records;

/// <summary>
/// The broker's in-place edits of a validated batch on append. The records, compressed or not,
/// are never touched.
/// </summary>
public static class RecordBatchRewriter
{
    /// <summary>
    /// Rewrites baseOffset and partitionLeaderEpoch, and with <paramref name="logAppendTime"/>
    /// sets the LogAppendTime attribute and maxTimestamp (baseTimestamp stays as sent; consumers
    /// use maxTimestamp for every record of such a batch, as Kafka's LogValidator arranges).
    /// Returns the offset after the batch's last offset.
    /// </summary>
    /// <remarks>
    /// The CRC covers attributes..end only, so baseOffset and partitionLeaderEpoch change without
    /// it; it is recomputed only when the attributes and maxTimestamp change, which keeps the
    /// common CreateTime append free of a pass over the batch.
    /// </remarks>
    public static long AssignOffsets(Span<byte> batch, long baseOffset, int partitionLeaderEpoch, long? logAppendTime)
    {
        if (batch.Length < RecordBatchHeader.Size)
        {
            throw new ArgumentException("A record batch has at least a 61-byte header.", nameof(batch));
        }
        BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.PartitionLeaderEpochOffset..], partitionLeaderEpoch);
        if (logAppendTime is { } appendTime)
        {
            var attributes = BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..]);
            BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..], (short)(attributes | RecordBatchHeader.TimestampTypeFlag));
            BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.MaxTimestampOffset..], appendTime);
            BinaryPrimitives.WriteUInt32BigEndian(batch[RecordBatchHeader.CrcOffset..], RecordBatchHeader.ComputeCrc(batch));
        }
        var lastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.LastOffsetDeltaOffset..]);
        return baseOffset + lastOffsetDelta + 1;
    }
}
