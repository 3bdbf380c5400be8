using Freshet.Protocol.Records;

namespace Freshet.Protocol.Tests.Records;

public class RecordBatchRewriterTests
{
    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Zstd)]
    public void Assigning_offsets_keeps_records_byte_identical_and_the_crc_valid(CompressionType compression)
    {
        var batch = TestBatches.Build(10, compression);
        var original = (byte[])batch.Clone();
        var next = RecordBatchRewriter.AssignOffsets(batch, 1_000, 7, logAppendTime: null);
        Assert.Equal(1_010, next);
        Assert.Equal(original.AsSpan(RecordBatchHeader.Size).ToArray(), batch.AsSpan(RecordBatchHeader.Size).ToArray());
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch, out var header));
        Assert.Equal(1_000, header.BaseOffset);
        Assert.Equal(7, header.PartitionLeaderEpoch);
        Assert.Equal(TimestampType.CreateTime, header.TimestampType);
        var records = RecordBatchReader.ReadRecords(batch);
        Assert.Equal(Enumerable.Range(1_000, 10).Select(i => (long)i), records.Select(r => r.Offset));
    }

    [Fact]
    public void Log_append_time_sets_the_attribute_and_max_timestamp_and_recomputes_the_crc()
    {
        var batch = TestBatches.Build(4, CompressionType.Gzip);
        var original = (byte[])batch.Clone();
        RecordBatchValidator.Validate(original, out var before);
        RecordBatchRewriter.AssignOffsets(batch, 50, 1, logAppendTime: 42_000);
        Assert.Equal(RecordBatchError.None, RecordBatchValidator.Validate(batch, out var header));
        Assert.Equal(TimestampType.LogAppendTime, header.TimestampType);
        Assert.Equal(42_000, header.MaxTimestamp);
        Assert.Equal(before.BaseTimestamp, header.BaseTimestamp);
        Assert.Equal(CompressionType.Gzip, header.Compression);
        Assert.Equal(original.AsSpan(RecordBatchHeader.Size).ToArray(), batch.AsSpan(RecordBatchHeader.Size).ToArray());
        Assert.All(RecordBatchReader.ReadRecords(batch), r => Assert.Equal(42_000, r.Timestamp));
    }
}
