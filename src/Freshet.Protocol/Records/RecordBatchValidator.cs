using System.Buffers.Binary;

namespace Freshet.Protocol.Records;

/// <summary>
/// Checks one v2 batch that exactly fills a span, header and CRC only, without touching the
/// records: this is the per-batch cost of produce and recovery, so it allocates nothing.
/// Record-level checks are <see cref="RecordBatchReader.ValidateRecords"/>.
/// </summary>
public static class RecordBatchValidator
{
    /// <summary>
    /// The smallest a record can be: length, attributes, timestampDelta, offsetDelta, keyLength,
    /// valueLength and headerCount, one byte each.
    /// </summary>
    public const int MinRecordSize = 7;

    /// <param name="allowEmpty">
    /// Accept recordCount 0. Producers never send empty batches, but compaction leaves them in
    /// the log to keep producer state, so recovery and fetch must accept them.
    /// </param>
    public static RecordBatchError Validate(ReadOnlySpan<byte> batch, out RecordBatchHeader header, bool allowEmpty = false)
    {
        header = default;
        if (batch.Length < RecordBatchHeader.LogOverhead)
        {
            return RecordBatchError.Truncated;
        }
        var batchLength = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.BatchLengthOffset..]);
        if (batchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead)
        {
            return RecordBatchError.InvalidLength;
        }
        if (batch.Length <= RecordBatchHeader.MagicOffset)
        {
            return RecordBatchError.Truncated;
        }
        // Magic before size: a legacy message set is shorter than a v2 header and should be
        // reported as the wrong format, not as torn.
        if ((sbyte)batch[RecordBatchHeader.MagicOffset] != RecordBatchHeader.CurrentMagic)
        {
            return RecordBatchError.UnsupportedMagic;
        }
        if ((long)RecordBatchHeader.LogOverhead + batchLength > batch.Length)
        {
            return RecordBatchError.Truncated;
        }
        if (RecordBatchHeader.LogOverhead + batchLength != batch.Length)
        {
            return RecordBatchError.InvalidLength;
        }
        header = RecordBatchHeader.Read(batch);
        if (RecordBatchHeader.ComputeCrc(batch) != header.Crc)
        {
            return RecordBatchError.CrcMismatch;
        }
        return CheckCounts(header, batch.Length - RecordBatchHeader.Size, allowEmpty);
    }

    private static RecordBatchError CheckCounts(in RecordBatchHeader header, int recordBytes, bool allowEmpty)
    {
        var count = header.RecordCount;
        if (count < 0 || (count == 0 && !allowEmpty))
        {
            return RecordBatchError.InvalidRecordCount;
        }
        // Offsets inside a batch are distinct and increasing, so the last delta is at least
        // count - 1 (more when compaction removed records); an empty batch keeps its last delta.
        if (count > 0 && header.LastOffsetDelta < count - 1)
        {
            return RecordBatchError.InvalidRecordCount;
        }
        // Uncompressed records are in the span, so a count that cannot fit is a lie we can see now.
        if (header.Compression == CompressionType.None && (long)count * MinRecordSize > recordBytes)
        {
            return RecordBatchError.InvalidRecordCount;
        }
        return RecordBatchError.None;
    }
}
