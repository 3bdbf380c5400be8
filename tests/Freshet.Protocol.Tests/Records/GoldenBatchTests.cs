using System.Buffers.Binary;
using Freshet.Protocol.Records;

namespace Freshet.Protocol.Tests.Records;

/// <summary>Freezes the v2 bytes: a batch written field by field from the spec must equal what the builder writes.</summary>
public class GoldenBatchTests
{
    // CRC-32C of the batch below, computed by an independent bitwise implementation.
    private const uint GoldenCrc = 0x716A6189;

    private static byte[] HandBuiltBatch()
    {
        // One record: length 8, attributes 0, timestampDelta 0, offsetDelta 0, key "k", value "v", no headers.
        byte[] record = [0x10, 0x00, 0x00, 0x00, 0x02, (byte)'k', 0x02, (byte)'v', 0x00];
        var batch = new byte[61 + record.Length];
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(0), 0);                  // baseOffset
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(8), batch.Length - 12);  // batchLength
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(12), -1);                // partitionLeaderEpoch
        batch[16] = 2;                                                              // magic
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(21), 0);                 // attributes
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(23), 0);                 // lastOffsetDelta
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(27), 1000);              // baseTimestamp
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(35), 1000);              // maxTimestamp
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(43), -1);                // producerId
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(51), -1);                // producerEpoch
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(53), -1);                // baseSequence
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(57), 1);                 // recordCount
        record.CopyTo(batch, 61);
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(17), GoldenCrc);        // crc
        return batch;
    }

    [Fact]
    public void Crc32C_matches_the_standard_check_value() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    [Fact]
    public void Crc32C_append_equals_one_pass()
    {
        var data = TestBatches.Utf8("The quick brown fox jumps over the lazy dog, twice over.");
        Assert.Equal(Crc32C.Compute(data), Crc32C.Append(Crc32C.Compute(data.AsSpan(0, 13)), data.AsSpan(13)));
    }

    [Fact]
    public void Golden_crc_agrees_with_Crc32C()
    {
        var batch = HandBuiltBatch();
        Assert.Equal(GoldenCrc, RecordBatchHeader.ComputeCrc(batch));
    }

    [Fact]
    public void Builder_writes_the_golden_bytes()
    {
        var built = RecordBatchBuilder.Build([new Record(0, 1000, TestBatches.Utf8("k"), TestBatches.Utf8("v"))]);
        Assert.Equal(HandBuiltBatch(), built);
    }

    [Fact]
    public void Validator_and_reader_parse_the_golden_bytes()
    {
        var batch = HandBuiltBatch();
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch, out var header));
        Assert.Equal(new RecordBatchHeader(0, 58, -1, 2, GoldenCrc, 0, 0, 1000, 1000, -1, -1, -1, 1), header);
        Assert.Equal(CompressionType.None, header.Compression);
        Assert.Equal(1, header.NextOffset);
        var record = Assert.Single(RecordBatchReader.ReadRecords(batch));
        Assert.Equal(0, record.Offset);
        Assert.Equal(1000, record.Timestamp);
        Assert.Equal("k"u8.ToArray(), record.Key!.Value.ToArray());
        Assert.Equal("v"u8.ToArray(), record.Value!.Value.ToArray());
        Assert.Empty(record.Headers);
    }

    [Fact]
    public void Records_magic_is_read_at_byte_16() =>
        Assert.Equal(2, RecordsMagic.Detect(HandBuiltBatch()));
}
