using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Freshet.IntegrationTests.Cluster.ClusterTestSupport;

namespace Freshet.IntegrationTests.Cluster;

/// <summary>
/// A partition whose in-sync replicas are all down while an out-of-sync replica lives: with
/// unclean.leader.election.enable off it stays offline rather than lose data; with it on it comes back on the stale
/// replica and the records only the dead leader had are gone. Two topics, one each way, go through the same failures.
/// Both are placed on nodes 1 and 2 so that node 3 keeps the controller quorum alive when both are down.
/// </summary>
public sealed class UncleanElectionTests(ITestOutputHelper output)
{
    private const string Clean = "clean-election";
    private const string Unclean = "unclean-election";
    private const int Kept = 10;
    private const int OnlyOnLeader = 10;

    [Fact]
    public async Task With_unclean_election_off_the_partition_waits_offline_and_with_it_on_it_returns_with_a_loss()
    {
        await using var cluster = await FreshetCluster.StartAsync(3, FreshetCluster.FastFailover);
        await cluster.WaitForBrokersAsync(Deadline);
        foreach (var (topic, unclean) in new[] { (Clean, "false"), (Unclean, "true") })
        {
            await CreateTopicAsync(cluster, new TopicSpecification
            {
                Name = topic,
                NumPartitions = 1,
                ReplicationFactor = -1,
                ReplicasAssignments = new Dictionary<int, List<int>> { [0] = [1, 2] },
                Configs = new Dictionary<string, string> { ["min.insync.replicas"] = "1", ["unclean.leader.election.enable"] = unclean },
            });
            await FreshetCluster.WaitUntilAsync(
                () => cluster.NodeLeading(topic, 0) == 1 && cluster.InSyncReplicas(topic, 0)?.Length == 2,
                Deadline,
                $"{topic}-0 led by node 1 with both replicas in sync");
        }

        using (var producer = new ProducerBuilder<Null, string>(ReliableProducer(cluster)).Build())
        {
            await ProduceAsync(producer, "kept", Kept);

            await cluster.KillAsync(2);
            foreach (var topic in new[] { Clean, Unclean })
            {
                await FreshetCluster.WaitUntilAsync(
                    () => cluster.InSyncReplicas(topic, 0) is [1], Deadline, $"node 2 leaves the ISR of {topic}-0");
            }
            await ProduceAsync(producer, "only-on-node-1", OnlyOnLeader);
        }

        // Node 1, the only in-sync replica, dies; node 2 comes back out of sync; nodes 2 and 3 hold the quorum.
        await cluster.KillAsync(1);
        await cluster.RestartAsync(2);

        await FreshetCluster.WaitUntilAsync(() => cluster.NodeLeading(Unclean, 0) == 2, Deadline, $"{Unclean}-0 elects the stale node 2");
        var uncleanEnd = HighWatermark(cluster, Unclean);
        output.WriteLine($"{Unclean}-0 came back on node 2 with {uncleanEnd} records; {Kept + OnlyOnLeader - uncleanEnd} acknowledged records were lost");
        Assert.Equal(Kept, uncleanEnd);
        Assert.Equal(Enumerable.Range(0, Kept).Select(i => $"kept-{i}"), ReadAll(cluster, Unclean, uncleanEnd));

        // The clean topic's partition has had as long as the unclean one to find a leader; it must stay without.
        var watchUntil = DateTime.UtcNow + TimeSpan.FromSeconds(6);
        while (DateTime.UtcNow < watchUntil)
        {
            Assert.Equal(-1, cluster.NodeLeading(Clean, 0));
            await Task.Delay(250);
        }

        await cluster.RestartAsync(1);
        await FreshetCluster.WaitUntilAsync(() => cluster.NodeLeading(Clean, 0) == 1, Deadline, $"{Clean}-0 comes back on node 1, its last in-sync replica");
        var cleanEnd = HighWatermark(cluster, Clean);
        Assert.Equal(Kept + OnlyOnLeader, cleanEnd);
        Assert.Equal(
            Enumerable.Range(0, Kept).Select(i => $"kept-{i}").Concat(Enumerable.Range(0, OnlyOnLeader).Select(i => $"only-on-node-1-{i}")),
            ReadAll(cluster, Clean, cleanEnd));
    }

    private static async Task ProduceAsync(IProducer<Null, string> producer, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            foreach (var topic in new[] { Clean, Unclean })
            {
                var result = await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<Null, string> { Value = $"{prefix}-{i}" });
                Assert.Equal(PersistenceStatus.Persisted, result.Status);
            }
        }
    }

    private static long HighWatermark(FreshetCluster cluster, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(Consumer(cluster)).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(30)).High.Value;
    }

    private static List<string> ReadAll(FreshetCluster cluster, string topic, long end)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(Consumer(cluster)).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var values = new List<string>();
        var until = DateTime.UtcNow + Deadline;
        while (values.Count < end && DateTime.UtcNow < until)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(1));
            if (result is not null && !result.IsPartitionEOF)
                values.Add(result.Message.Value);
        }
        return values;
    }
}
