using Freshet.Broker.Configuration;
using Freshet.Broker.Replication;

namespace Freshet.Broker.Tests.Replication;

public sealed class FlushConfigTests
{
    [Fact]
    public void Broker_flush_settings_reach_the_log_config_and_topic_overrides_win()
    {
        var broker = BrokerConfigLoader.Load(
        [
            new("log.flush.interval.messages", "1"),
            new("log.flush.interval.ms", "250"),
            new("log.flush.scheduler.interval.ms", "100"),
        ]);
        Assert.Equal(100, broker.LogFlushSchedulerIntervalMs);

        var defaults = LogConfigs.For(broker, new Dictionary<string, string>());
        Assert.Equal(1, defaults.FlushIntervalMessages);
        Assert.Equal(250, defaults.FlushMs);

        var topic = LogConfigs.For(broker, new Dictionary<string, string> { ["flush.messages"] = "10", ["flush.ms"] = "5000" });
        Assert.Equal(10, topic.FlushIntervalMessages);
        Assert.Equal(5000, topic.FlushMs);
    }

    [Fact]
    public void Flush_defaults_leave_durability_to_the_page_cache()
    {
        var defaults = LogConfigs.For(BrokerConfigLoader.Load([]), new Dictionary<string, string>());
        Assert.Equal(long.MaxValue, defaults.FlushIntervalMessages);
        Assert.Equal(long.MaxValue, defaults.FlushMs);
    }
}
