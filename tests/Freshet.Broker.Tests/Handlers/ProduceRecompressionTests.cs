using Freshet.Broker.Handlers;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Records;
using Freshet.Storage;
using Record = Freshet.Protocol.Records.Record;

namespace Freshet.Broker.Tests.Handlers;

public sealed class ProduceRecompressionTests
{
    private static readonly RecordBatchOptions Idempotent = new()
    {
        Compression = CompressionType.Lz4,
        ProducerId = 42,
        ProducerEpoch = 3,
        BaseSequence = 17,
        IsTransactional = true,
    };

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Zstd)]
    public void A_batch_is_rebuilt_in_the_topic_codec_with_everything_else_kept(CompressionType target)
    {
        var records = SampleRecords();
        var batch = RecordBatchBuilder.Build(records, Idempotent);

        var check = ProduceRecompression.Apply(new ProduceCheck(ErrorCode.None, null, batch), new LogConfig { TargetCompression = target });

        Assert.Equal(ErrorCode.None, check.Error);
        var error = RecordBatchReader.TryReadRecords(check.Batches, out var header, out var stored);
        Assert.Equal(RecordBatchError.None, error);
        Assert.Equal(target, header.Compression);
        Assert.Equal((42L, (short)3, 17), (header.ProducerId, header.ProducerEpoch, header.BaseSequence));
        Assert.True(header.IsTransactional);
        Assert.Equal(RecordBatchHeader.Read(batch).LastOffsetDelta, header.LastOffsetDelta);
        Assert.Equal(RecordBatchHeader.Read(batch).MaxTimestamp, header.MaxTimestamp);
        Assert.Equal(records.Length, stored.Length);
        for (var i = 0; i < records.Length; i++)
        {
            Assert.Equal(records[i].Offset, stored[i].Offset);
            Assert.Equal(records[i].Timestamp, stored[i].Timestamp);
            Assert.Equal(records[i].Key?.ToArray(), stored[i].Key?.ToArray());
            Assert.Equal(records[i].Value?.ToArray(), stored[i].Value?.ToArray());
            Assert.Equal(records[i].Headers.Select(h => (h.Key, h.Value?.ToArray())), stored[i].Headers.Select(h => (h.Key, h.Value?.ToArray())));
        }
    }

    [Fact]
    public void Producer_compression_and_a_matching_codec_leave_the_bytes_alone()
    {
        var batch = RecordBatchBuilder.Build(SampleRecords(), Idempotent);
        var input = new ProduceCheck(ErrorCode.None, null, batch);

        Assert.True(ProduceRecompression.Apply(input, new LogConfig()).Batches.Equals(input.Batches));
        Assert.True(ProduceRecompression.Apply(input, new LogConfig { TargetCompression = CompressionType.Lz4 }).Batches.Equals(input.Batches));
    }

    [Fact]
    public void A_batch_that_grows_past_max_message_bytes_is_refused()
    {
        var value = Enumerable.Repeat((byte)'a', 4000).ToArray();
        var batch = RecordBatchBuilder.Build([new Record(0, 1, null, value)], new RecordBatchOptions { Compression = CompressionType.Zstd });
        var config = new LogConfig { TargetCompression = CompressionType.None, MaxMessageBytes = 1000 };

        var check = ProduceRecompression.Apply(new ProduceCheck(ErrorCode.None, null, batch), config);

        Assert.Equal(ErrorCode.MessageTooLarge, check.Error);
    }

    private static Record[] SampleRecords() =>
    [
        new Record(0, 1_700_000_000_000, "k0"u8.ToArray(), "v0"u8.ToArray(), [new RecordHeader("h", "x"u8.ToArray()), new RecordHeader("n", null)]),
        new Record(1, 1_699_999_999_000, null, "v1"u8.ToArray()),
        new Record(3, 1_700_000_005_000, "k3"u8.ToArray(), null),
    ];
}
