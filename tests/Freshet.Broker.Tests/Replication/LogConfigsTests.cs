using Freshet.Broker.Configuration;
using Freshet.Broker.Replication;
using Freshet.Protocol.Records;

namespace Freshet.Broker.Tests.Replication;

public sealed class LogConfigsTests
{
    [Fact]
    public void Compression_and_timestamp_bounds_default_from_the_broker()
    {
        var broker = new BrokerOptions { CompressionType = "gzip", LogMessageTimestampAfterMaxMs = 5000, LogMessageTimestampBeforeMaxMs = 7000 };

        var config = LogConfigs.For(broker, new Dictionary<string, string>());

        Assert.Equal(CompressionType.Gzip, config.TargetCompression);
        Assert.Equal(5000, config.MessageTimestampAfterMaxMs);
        Assert.Equal(7000, config.MessageTimestampBeforeMaxMs);
    }

    [Theory]
    [InlineData("producer", null)]
    [InlineData("uncompressed", CompressionType.None)]
    [InlineData("snappy", CompressionType.Snappy)]
    [InlineData("lz4", CompressionType.Lz4)]
    [InlineData("zstd", CompressionType.Zstd)]
    public void A_topic_override_wins(string value, CompressionType? expected)
    {
        var config = LogConfigs.For(new BrokerOptions { CompressionType = "gzip" }, new Dictionary<string, string> { ["compression.type"] = value, ["message.timestamp.after.max.ms"] = "10" });

        Assert.Equal(expected, config.TargetCompression);
        Assert.Equal(10, config.MessageTimestampAfterMaxMs);
        Assert.Equal(long.MaxValue, config.MessageTimestampBeforeMaxMs);
    }
}
