using Freshet.Protocol.Records;

namespace Freshet.Protocol.Tests.Records;

/// <summary>What the log cleaner needs from batches: gaps in offsets, a kept lastOffsetDelta, the delete horizon, null-key detection.</summary>
public class CompactionSupportTests
{
    private static readonly ReadOnlyMemory<byte>? NoValue = null;

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Lz4)]
    public void Builder_keeps_offset_gaps_last_offset_delta_and_delete_horizon(CompressionType compression)
    {
        Record[] records =
        [
            new(101, 5_000, new byte[] { 1 }, new byte[] { 7 }),
            new(104, 4_000, new byte[] { 2 }, NoValue),
        ];
        var batch = RecordBatchBuilder.Build(records, new RecordBatchOptions
        {
            BaseOffset = 100,
            Compression = compression,
            LastOffsetDelta = 9,
            DeleteHorizonMs = 90_000,
        });
        var header = RecordBatchHeader.Read(batch);
        Assert.Equal(9, header.LastOffsetDelta);
        Assert.True(header.HasDeleteHorizon);
        Assert.Equal(90_000, header.BaseTimestamp);
        Assert.Equal(5_000, header.MaxTimestamp);
        Assert.Equal(2, header.RecordCount);
        Assert.Equal(RecordBatchError.None, RecordBatchReader.ValidateRecords(batch));
        var read = RecordBatchReader.ReadRecords(batch);
        Assert.Equal([101L, 104L], read.Select(r => r.Offset));
        Assert.Equal([5_000L, 4_000L], read.Select(r => r.Timestamp));
        Assert.Null(read[1].Value);
    }

    [Fact]
    public void Builder_refuses_a_last_offset_delta_below_the_last_record()
    {
        Record[] records = [new(105, 1, new byte[] { 1 }, new byte[] { 1 })];
        Assert.Throws<ArgumentException>(() => RecordBatchBuilder.Build(records, new RecordBatchOptions { BaseOffset = 100, LastOffsetDelta = 2 }));
    }

    [Theory]
    [InlineData(CompressionType.None, false)]
    [InlineData(CompressionType.None, true)]
    [InlineData(CompressionType.Zstd, false)]
    [InlineData(CompressionType.Zstd, true)]
    public void Null_keys_are_found_in_plain_and_compressed_batches(CompressionType compression, bool withNullKey)
    {
        var noKey = default(ReadOnlyMemory<byte>?);
        Record[] records =
        [
            new(0, 1, new byte[] { 1 }, new byte[] { 1 }),
            new(1, 1, withNullKey ? noKey : new byte[] { 2 }, new byte[] { 1 }),
            new(2, 1, new byte[] { 3 }, NoValue),
        ];
        var batch = RecordBatchBuilder.Build(records, new RecordBatchOptions { Compression = compression });
        Assert.Equal(RecordBatchError.None, RecordBatchReader.TryFindNullKey(batch, out var hasNullKey));
        Assert.Equal(withNullKey, hasNullKey);
    }
}
