using System.Buffers.Binary;
using Freshet.Protocol.Records;

namespace Freshet.Protocol.Tests.Records;

public class RecordBatchReaderTests
{
    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Records_round_trip_through_builder_and_reader(CompressionType compression)
    {
        var records = TestBatches.SampleRecords(200, firstOffset: 500);
        var batch = RecordBatchBuilder.Build(records, new RecordBatchOptions { BaseOffset = 500, Compression = compression });
        Assert.Equal(RecordBatchError.None, RecordBatchReader.ValidateRecords(batch));
        TestBatches.AssertSameRecords(records, RecordBatchReader.ReadRecords(batch));
    }

    [Fact]
    public void Builder_writes_producer_and_flag_fields()
    {
        var batch = RecordBatchBuilder.Build(
            [new Record(10, 5, null, null), new Record(12, 3, null, TestBatches.Utf8("v"))],
            new RecordBatchOptions
            {
                BaseOffset = 10,
                PartitionLeaderEpoch = 4,
                ProducerId = 77,
                ProducerEpoch = 2,
                BaseSequence = 9,
                IsTransactional = true,
                IsControl = true,
                TimestampType = TimestampType.LogAppendTime,
            });
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch, out var header));
        Assert.Equal((10L, 4, 77L, (short)2, 9, 2, 5L, 5L), (header.BaseOffset, header.PartitionLeaderEpoch, header.ProducerId,
            header.ProducerEpoch, header.BaseSequence, header.LastOffsetDelta, header.BaseTimestamp, header.MaxTimestamp));
        Assert.True(header.IsTransactional);
        Assert.True(header.IsControl);
        Assert.Equal(TimestampType.LogAppendTime, header.TimestampType);
        var records = RecordBatchReader.ReadRecords(batch);
        Assert.Equal([10L, 12L], records.Select(r => r.Offset));
        Assert.Null(records[0].Key);
        Assert.Null(records[0].Value);
    }

    [Fact]
    public void Empty_key_and_value_differ_from_null()
    {
        var batch = RecordBatchBuilder.Build([new Record(0, 0, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty)]);
        var record = Assert.Single(RecordBatchReader.ReadRecords(batch));
        Assert.Equal(0, record.Key!.Value.Length);
        Assert.Equal(0, record.Value!.Value.Length);
    }

    /// <summary>A valid header (right length, count and CRC) around records written by hand.</summary>
    private static byte[] WithRecords(byte[] records, int count, int lastOffsetDelta = -2)
    {
        var batch = new byte[RecordBatchHeader.Size + records.Length];
        TestBatches.Build(1).AsSpan(0, RecordBatchHeader.Size).CopyTo(batch);
        records.CopyTo(batch, RecordBatchHeader.Size);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BatchLengthOffset), batch.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset), count);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), lastOffsetDelta == -2 ? count - 1 : lastOffsetDelta);
        TestBatches.FixCrc(batch);
        return batch;
    }

    public static TheoryData<string, byte[]> HostileRecords => new()
    {
        // length, attributes, timestampDelta, offsetDelta, keyLength, key, valueLength, value, headerCount
        { "huge key length", [0x10, 0x00, 0x00, 0x00, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00] },
        { "negative key length", [0x0E, 0x00, 0x00, 0x00, 0x05, 0x02, (byte)'v', 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00] },
        { "huge record length", [0xFE, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00] },
        { "negative record length", [0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00] },
        { "varint too long", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x00] },
        { "huge header count", [0x0E, 0x00, 0x00, 0x00, 0x01, 0x01, 0xFE, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x00, 0x00, 0x00] },
        { "null header key", [0x0E, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00] },
        { "record shorter than its fields", [0x0C, 0x00, 0x00, 0x00, 0x01, 0x04, (byte)'a', (byte)'b', 0x00] },
        { "trailing bytes inside the record", [0x10, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00] },
        { "negative offset delta", [0x0C, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00, 0x00] },
    };

    [Theory]
    [MemberData(nameof(HostileRecords))]
    public void Hostile_records_are_typed_errors(string why, byte[] records)
    {
        var batch = WithRecords(records, 1);
        var error = RecordBatchReader.TryReadRecords(batch, out _, out _);
        Assert.True(error is RecordBatchError.InvalidRecord or RecordBatchError.InvalidRecordCount, why);
        Assert.Equal(error, RecordBatchReader.ValidateRecords(batch));
        Assert.Equal(error, Assert.Throws<RecordBatchException>(() => RecordBatchReader.ReadRecords(batch)).Error);
    }

    [Fact]
    public void Records_disagreeing_with_the_count_or_repeating_offsets_are_rejected()
    {
        var one = TestBatches.Build(1).AsSpan(RecordBatchHeader.Size).ToArray();
        var error = RecordBatchReader.ValidateRecords(WithRecords([.. one, .. new byte[7]], 2, 1));
        Assert.True(error is RecordBatchError.InvalidRecord or RecordBatchError.InvalidRecordCount);
        var three = TestBatches.Build(3).AsSpan(RecordBatchHeader.Size).ToArray();
        Assert.Equal(RecordBatchError.InvalidRecordCount, RecordBatchReader.ValidateRecords(WithRecords(three, 2, 2)));
        Assert.Equal(RecordBatchError.InvalidRecord, RecordBatchReader.ValidateRecords(WithRecords([.. one, .. one], 2)));
    }

    [Fact]
    public void Truncated_batch_at_every_length_never_throws()
    {
        foreach (var compression in new[] { CompressionType.None, CompressionType.Snappy })
        {
            var batch = TestBatches.Build(5, compression);
            for (var length = 0; length < batch.Length; length++)
            {
                var slice = batch.AsMemory(0, length);
                Assert.NotEqual(RecordBatchError.None, RecordBatchReader.TryReadRecords(slice, out _, out _));
            }
        }
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Corrupt_compressed_records_are_decompression_errors(CompressionType compression)
    {
        var batch = TestBatches.Build(50, compression);
        for (var i = RecordBatchHeader.Size + 4; i < batch.Length; i += 3)
        {
            batch[i] ^= 0x5A;
        }
        TestBatches.FixCrc(batch);
        var error = RecordBatchReader.ValidateRecords(batch);
        Assert.NotEqual(RecordBatchError.None, error);
    }

    [Fact]
    public void Decompression_is_capped()
    {
        var records = new[] { new Record(0, 0, null, new byte[1_000_000]) };
        var batch = RecordBatchBuilder.Build(records, new RecordBatchOptions { Compression = CompressionType.Zstd });
        Assert.True(batch.Length < 1_000);
        Assert.Equal(RecordBatchError.DecompressedTooLarge, RecordBatchReader.ValidateRecords(batch, maxDecompressedSize: 100_000));
        Assert.Equal(RecordBatchError.None, RecordBatchReader.ValidateRecords(batch, maxDecompressedSize: 2_000_000));
    }

    [Fact]
    public void Unknown_codec_is_unsupported_compression()
    {
        var batch = TestBatches.Build(2);
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchHeader.AttributesOffset), 5);
        TestBatches.FixCrc(batch);
        Assert.Equal(RecordBatchError.UnsupportedCompression, RecordBatchReader.ValidateRecords(batch));
    }
}
