using Freshet.Perf.Load;

namespace Freshet.Perf.Tests;

public sealed class ClientConfigsTests
{
    [Fact]
    public void The_consumer_fetches_again_soon_after_its_queue_was_full()
    {
        var config = ClientConfigs.Consumer(new LoadSettings(), "group");

        Assert.Equal(10, config.FetchQueueBackoffMs);
    }

    [Fact]
    public void A_client_property_on_the_command_line_overrides_the_tool_default()
    {
        var settings = new LoadSettings { ClientProperties = [new("fetch.queue.backoff.ms", "1000")] };

        var config = ClientConfigs.Consumer(settings, "group");

        Assert.Equal(1000, config.FetchQueueBackoffMs);
    }
}
