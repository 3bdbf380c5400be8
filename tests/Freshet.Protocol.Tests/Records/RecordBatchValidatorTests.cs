using System.Buffers.Binary;
using Freshet.Protocol.Records;

namespace Freshet.Protocol.Tests.Records;

public class RecordBatchValidatorTests
{
    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Built_batches_validate(CompressionType compression)
    {
        var batch = TestBatches.Build(20, compression);
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch, out var header));
        Assert.Equal(compression, header.Compression);
        Assert.Equal(20, header.RecordCount);
        Assert.Equal(19, header.LastOffsetDelta);
        Assert.Equal(batch.Length, header.TotalSize);
    }

    [Fact]
    public void Every_flipped_bit_after_the_crc_is_a_crc_mismatch()
    {
        var batch = TestBatches.Build(3);
        for (var i = RecordBatchHeader.AttributesOffset; i < batch.Length; i++)
        {
            var copy = (byte[])batch.Clone();
            copy[i] ^= 0x01;
            Assert.Equal(RecordBatchError.CrcMismatch, RecordBatchValidator.Validate(copy, out _));
        }
    }

    [Fact]
    public void Bad_magic_is_unsupported()
    {
        var batch = TestBatches.Build(3);
        batch[RecordBatchHeader.MagicOffset] = 1;
        Assert.Equal(RecordBatchError.UnsupportedMagic, RecordBatchValidator.Validate(batch, out _));
    }

    [Fact]
    public void Truncation_at_every_length_is_a_typed_error()
    {
        var batch = TestBatches.Build(5);
        for (var length = 0; length < batch.Length; length++)
        {
            var error = RecordBatchValidator.Validate(batch.AsSpan(0, length), out _);
            Assert.Equal(RecordBatchError.Truncated, error);
        }
    }

    [Fact]
    public void Trailing_bytes_after_the_batch_are_an_invalid_length()
    {
        var batch = TestBatches.Build(2);
        var longer = new byte[batch.Length + 3];
        batch.CopyTo(longer, 0);
        Assert.Equal(RecordBatchError.InvalidLength, RecordBatchValidator.Validate(longer, out _));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(0)]
    [InlineData(48)]
    public void Negative_or_too_small_batch_lengths_are_invalid(int batchLength)
    {
        var batch = TestBatches.Build(2);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BatchLengthOffset), batchLength);
        Assert.Equal(RecordBatchError.InvalidLength, RecordBatchValidator.Validate(batch, out _));
    }

    [Fact]
    public void Huge_batch_length_is_truncated_not_an_exception()
    {
        var batch = TestBatches.Build(2);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.BatchLengthOffset), int.MaxValue);
        Assert.Equal(RecordBatchError.Truncated, RecordBatchValidator.Validate(batch, out _));
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(0, 1)]
    [InlineData(5, 2)]
    [InlineData(1_000_000, 999_999)]
    public void Record_count_lies_are_caught_by_the_header_check(int recordCount, int lastOffsetDelta)
    {
        var batch = TestBatches.Build(2);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset), recordCount);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), lastOffsetDelta);
        TestBatches.FixCrc(batch);
        Assert.Equal(RecordBatchError.InvalidRecordCount, RecordBatchValidator.Validate(batch, out _));
    }

    [Fact]
    public void Empty_batches_are_accepted_only_when_allowed()
    {
        var batch = TestBatches.Build(1);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset), 0);
        TestBatches.FixCrc(batch);
        Assert.Equal(RecordBatchError.InvalidRecordCount, RecordBatchValidator.Validate(batch, out _));
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch, out _, allowEmpty: true));
    }

    [Fact]
    public void A_record_count_the_records_do_not_match_fails_record_validation()
    {
        var batch = TestBatches.Build(3);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordCountOffset), 2);
        TestBatches.FixCrc(batch);
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch, out _));
        Assert.Equal(RecordBatchError.InvalidRecordCount, RecordBatchReader.ValidateRecords(batch));
    }
}
