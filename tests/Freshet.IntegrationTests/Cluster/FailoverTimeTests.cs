using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Cluster.ClusterTestSupport;

namespace Freshet.IntegrationTests.Cluster;

/// <summary>
/// After its leader is killed, a partition takes writes again within seconds: the controller fences the dead broker
/// when its session expires, the next in-sync replica leads, and the producer finds it. The exact figure comes from
/// bench/cluster.sh; this test holds a generous bound so that a loaded machine does not fail it.
/// </summary>
public sealed class FailoverTimeTests
{
    private const string Topic = "failover-time";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Writes_resume_within_seconds_after_the_partition_leader_is_killed()
    {
        await using var cluster = await FreshetCluster.StartAsync(3, [.. FreshetCluster.FastFailover, "min.insync.replicas=2"]);
        await cluster.WaitForBrokersAsync(Deadline);
        await CreateTopicAsync(cluster, new TopicSpecification { Name = Topic, NumPartitions = 3, ReplicationFactor = 3 });
        await WaitForFullIsrAsync(cluster, Topic, 3, 3);
        // A leader that is not also the active controller: this is about the partition's failover, not the
        // controller election that killing the active controller adds before it.
        var controller = await cluster.WaitForActiveControllerAsync(Deadline);
        var (partition, leader) = PartitionLedByAnotherNode(cluster, controller);

        var config = ReliableProducer(cluster);
        config.TopicMetadataRefreshIntervalMs = 100;
        using var producer = new ProducerBuilder<Null, string>(config).Build();
        var target = new TopicPartition(Topic, partition);
        Assert.Equal(PersistenceStatus.Persisted, (await producer.ProduceAsync(target, new Message<Null, string> { Value = "before" })).Status);

        await cluster.KillAsync(leader);
        var sinceKill = Stopwatch.StartNew();
        var after = await producer.ProduceAsync(target, new Message<Null, string> { Value = "after" });
        var resumedAfter = sinceKill.Elapsed;

        Assert.Equal(PersistenceStatus.Persisted, after.Status);
        Assert.True(resumedAfter < Bound, $"Writes resumed {resumedAfter.TotalMilliseconds:F0} ms after the kill.");
        var newLeader = await cluster.WaitForLeaderAsync(Topic, partition, Deadline, notNode: leader);
        Assert.NotEqual(leader, newLeader);
    }

    private static (int Partition, int Leader) PartitionLedByAnotherNode(FreshetCluster cluster, int controller)
    {
        for (var p = 0; p < 3; p++)
        {
            var leader = cluster.NodeLeading(Topic, p);
            if (leader >= 0 && leader != controller)
                return (p, leader);
        }
        throw new InvalidOperationException($"Every partition of {Topic} is led by the active controller {controller}.");
    }
}
