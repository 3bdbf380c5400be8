using Freshet.Broker.Configuration;

namespace Freshet.Server.Tests;

/// <summary>The retention settings: Kafka's defaults, broker names, and file.delete.delay.ms's broker synonym.</summary>
public sealed class RetentionConfigTests
{
    [Fact]
    public void Defaults_are_kafkas()
    {
        var options = new BrokerOptions();
        Assert.Equal(300000, options.LogRetentionCheckIntervalMs);
        Assert.Equal(60000, options.LogSegmentDeleteDelayMs);
    }

    [Fact]
    public void Broker_settings_are_applied_and_file_delete_delay_defaults_from_the_broker()
    {
        var broker = BrokerConfigLoader.Load([new("log.retention.check.interval.ms", "250"), new("log.segment.delete.delay.ms", "10")]);
        Assert.Equal(250, broker.LogRetentionCheckIntervalMs);

        var effective = TopicConfigDefinitions.Effective(broker, new Dictionary<string, string>());
        Assert.Equal("10", effective["file.delete.delay.ms"]);
        Assert.Equal("5", TopicConfigDefinitions.Effective(broker, new Dictionary<string, string> { ["file.delete.delay.ms"] = "5" })["file.delete.delay.ms"]);
    }

    [Theory]
    [InlineData("log.retention.check.interval.ms", "0")]
    [InlineData("log.segment.delete.delay.ms", "-1")]
    public void Bad_values_are_refused(string name, string value) =>
        Assert.ThrowsAny<Exception>(() => BrokerConfigLoader.Load([new(name, value)]));

    [Fact]
    public void A_negative_file_delete_delay_is_an_invalid_topic_config() =>
        Assert.False(TopicConfigDefinitions.TryValidate("file.delete.delay.ms", "-1", out _));
}
