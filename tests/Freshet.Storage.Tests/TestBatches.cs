using System.Buffers.Binary;
using Freshet.Protocol.Records;

namespace Freshet.Storage.Tests;

/// <summary>Minimal magic-2 batches: a 61-byte header, opaque payload bytes standing in for records, a correct CRC-32C.</summary>
internal static class TestBatches
{
    public static byte[] Build(int recordCount, long maxTimestamp, int payloadBytes = 100, byte fill = 0xAB)
    {
        var batch = new byte[RecordBatchHeader.Size + payloadBytes];
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.BaseOffsetOffset), 0);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BatchLengthOffset), batch.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.PartitionLeaderEpochOffset), -1);
        batch[RecordBatchHeader.MagicOffset] = 2;
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchHeader.AttributesOffset), 0);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), recordCount - 1);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.BaseTimestampOffset), maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.MaxTimestampOffset), maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.ProducerIdOffset), -1);
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchHeader.ProducerEpochOffset), -1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BaseSequenceOffset), -1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset), recordCount);
        batch.AsSpan(RecordBatchHeader.Size).Fill(fill);
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcOffset), RecordBatchHeader.ComputeCrc(batch));
        return batch;
    }

    /// <summary>Splits bytes read from the log into batch headers, checking each CRC.</summary>
    public static List<RecordBatchHeader> Parse(ReadOnlySpan<byte> bytes)
    {
        var headers = new List<RecordBatchHeader>();
        while (!bytes.IsEmpty)
        {
            var header = RecordBatchHeader.Read(bytes);
            Assert.Equal(header.Crc, RecordBatchHeader.ComputeCrc(bytes[..header.TotalSize]));
            headers.Add(header);
            bytes = bytes[header.TotalSize..];
        }
        return headers;
    }

    public static List<RecordBatchHeader> Parse(LogReadResult result) => Parse(result.Records.ToArray());
}
