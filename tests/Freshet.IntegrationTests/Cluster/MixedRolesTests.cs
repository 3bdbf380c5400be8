using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Cluster.ClusterTestSupport;

namespace Freshet.IntegrationTests.Cluster;

/// <summary>
/// Three combined nodes (process.roles=broker,controller) hold the quorum and a fourth, broker-only node follows their
/// metadata log over their PLAINTEXT listeners: it hosts replicas, and it keeps up when the active controller dies.
/// </summary>
public sealed class MixedRolesTests
{
    private const string Topic = "mixed";
    private const int Partitions = 4;
    private const int BrokerOnly = 4;

    [Fact]
    public async Task A_broker_only_node_follows_combined_controllers_through_a_controller_kill()
    {
        await using var cluster = await FreshetCluster.StartMixedAsync(combined: 3, brokers: 1, [.. FreshetCluster.FastFailover, "min.insync.replicas=2"]);
        await cluster.WaitForBrokersAsync(Deadline);

        await CreateTopicAsync(cluster, new TopicSpecification { Name = Topic, NumPartitions = Partitions, ReplicationFactor = 3 });
        await WaitForFullIsrAsync(cluster, Topic, Partitions, 3);
        var hosted = (await cluster.WaitForMetadataAsync(Topic, Deadline)).Topics[0].Partitions.Count(p => p.Replicas.Contains(BrokerOnly));
        Assert.True(hosted >= 3, $"the broker-only node holds a replica of {hosted} of {Partitions} partitions");

        using var producer = new ProducerBuilder<string, string>(ReliableProducer(cluster)).Build();
        var sent = new List<string>();
        await ProduceKeyedAsync(producer, Topic, "before", 200, sent);

        // The active controller, also a broker, dies. The broker-only node registers and heartbeats with the next one,
        // and learns from the surviving combined nodes' metadata log of a topic that only it can complete: with one of
        // the four brokers down, replication factor 3 needs it.
        var controller = await cluster.QuorumLeaderAsync(Enumerable.Range(1, 3));
        Assert.InRange(controller, 1, 3);
        await cluster.KillAsync(controller);
        await FreshetCluster.WaitUntilAsync(
            () => cluster.Metadata(null, TimeSpan.FromSeconds(3))?.Brokers is { Count: 3 } brokers && brokers.All(b => b.BrokerId != controller),
            Deadline,
            $"the next controller fences broker {controller}");
        await CreateTopicAsync(cluster, new TopicSpecification { Name = "after-failover", NumPartitions = 2, ReplicationFactor = 3 });
        await WaitForFullIsrAsync(cluster, "after-failover", 2, 3);
        foreach (var partition in (await cluster.WaitForMetadataAsync("after-failover", Deadline)).Topics[0].Partitions)
            Assert.Contains(BrokerOnly, partition.Replicas);
        await ProduceKeyedAsync(producer, Topic, "after-controller-kill", 100, sent);

        // The broker-only node restarts and catches up from the combined nodes into every ISR it belongs to.
        await cluster.RestartAsync(controller);
        await cluster.KillAsync(BrokerOnly);
        await cluster.RestartAsync(BrokerOnly);
        await WaitForFullIsrAsync(cluster, Topic, Partitions, 3);

        var received = ConsumeAll(cluster, Topic, Partitions, sent.Count, subscribe: false);
        Assert.Equal(sent.Order(), received.Order());
    }
}
