using Confluent.Kafka;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Groups.GroupTestSupport;

namespace Freshet.IntegrationTests.Groups;

/// <summary>kcat's balanced consumer (-G) joins a group, consumes, and commits what it read.</summary>
public sealed class KcatGroupTests
{
    [Fact]
    public async Task Kcat_consumes_in_a_group_and_commits()
    {
        await using var scope = await BrokerScope.StartAsync(BrokerSettings);
        const string topic = "kcat-group-topic";
        await CreateTopicAsync(scope.BootstrapServers, topic, 3);
        await ProduceAsync(scope.BootstrapServers, topic, 3, 30);

        // -c stops after that many messages; closing commits them (enable.auto.commit is on by default).
        var consumed = await Kcat.RunAsync(
            "-b", scope.BootstrapServers, "-G", "kcat-group", "-X", "auto.offset.reset=earliest", "-c", "30", "-q", "-f", "%s\\n", topic);

        Assert.Equal(0, consumed.ExitCode);
        var values = consumed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 30).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet(), values);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = scope.BootstrapServers }).Build();
        var offsets = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("kcat-group", [.. Enumerable.Range(0, 3).Select(p => new TopicPartition(topic, p))])]);
        Assert.All(Assert.Single(offsets).Partitions, p => Assert.Equal(10, p.Offset.Value));
    }
}
