using Freshet.Broker.Handlers;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Records;
using Freshet.Storage;
using Record = Freshet.Protocol.Records.Record;

namespace Freshet.Broker.Tests.Handlers;

public sealed class ProduceTimestampsTests
{
    private const long Now = 1_700_000_000_000;
    private const long Hour = 3_600_000;

    [Theory]
    [InlineData(Now, ErrorCode.None)]
    [InlineData(Now + Hour, ErrorCode.None)]
    [InlineData(Now + Hour + 1, ErrorCode.InvalidTimestamp)]
    [InlineData(0, ErrorCode.None)]
    [InlineData(-1, ErrorCode.None)]
    public void By_default_only_the_future_is_bounded(long timestamp, ErrorCode expected) =>
        Assert.Equal(expected, Check(new LogConfig(), timestamp).Error);

    [Theory]
    [InlineData(Now - 60_000, ErrorCode.None)]
    [InlineData(Now - 60_001, ErrorCode.InvalidTimestamp)]
    [InlineData(-1, ErrorCode.None)]
    public void A_before_bound_checks_every_record(long oldest, ErrorCode expected)
    {
        var config = new LogConfig { MessageTimestampBeforeMaxMs = 60_000 };
        // The old record is not the first, so the batch's base timestamp alone would not show it.
        var batch = RecordBatchBuilder.Build([new Record(0, Now, null, "a"u8.ToArray()), new Record(1, oldest, null, "b"u8.ToArray())], new RecordBatchOptions { Compression = CompressionType.Gzip });
        Assert.Equal(expected, ProduceTimestamps.Validate(new ProduceCheck(ErrorCode.None, null, batch), config, Now).Error);
    }

    [Fact]
    public void LogAppendTime_topics_take_any_timestamp() =>
        Assert.Equal(ErrorCode.None, Check(new LogConfig { LogAppendTime = true, MessageTimestampBeforeMaxMs = 0 }, Now + 100 * Hour).Error);

    private static ProduceCheck Check(LogConfig config, long timestamp)
    {
        var batch = RecordBatchBuilder.Build([new Record(0, timestamp, null, "v"u8.ToArray())]);
        return ProduceTimestamps.Validate(new ProduceCheck(ErrorCode.None, null, batch), config, Now);
    }
}
