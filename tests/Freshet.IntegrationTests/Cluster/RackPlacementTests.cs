using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Cluster.ClusterTestSupport;

namespace Freshet.IntegrationTests.Cluster;

/// <summary>
/// Rack-aware replica placement on real processes: four brokers in two racks (1 and 2 in "east", 3 and 4 in "west").
/// Round robin over the broker ids alone would pair 1 with 2 or 3 with 4 for some partitions; placement that knows
/// the racks gives every partition one replica in each rack, at creation and when partitions are added.
/// </summary>
public sealed class RackPlacementTests
{
    private const string Topic = "racked";
    private static readonly int[] Brokers = [1, 2, 3, 4];

    private static string RackOf(int broker) => broker <= 2 ? "east" : "west";

    [Fact]
    public async Task Every_partition_has_a_replica_in_each_rack_and_leaders_are_spread_evenly()
    {
        await using var cluster = await FreshetCluster.StartAsync(
            4,
            new ClusterLayout { NodeOverrides = id => ["broker.rack=" + RackOf(id)] },
            FreshetCluster.FastFailover);
        await cluster.WaitForBrokersAsync(Deadline);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.RunningBootstrapServers() }).Build();

        var described = await DescribeAllBrokersAsync(admin);
        Assert.All(described.Nodes, n => Assert.Equal(RackOf(n.Id), n.Rack));

        await CreateTopicAsync(cluster, new TopicSpecification { Name = Topic, NumPartitions = 8, ReplicationFactor = 2 });
        var created = await PlacementAsync(cluster, 8);
        Assert.All(created, p => AssertOneReplicaPerRack(p.PartitionId, p.Replicas));
        // Two rounds of four: every broker leads two partitions and holds four replicas.
        Assert.All(Brokers, b => Assert.Equal(2, created.Count(p => p.Leader == b)));
        Assert.All(Brokers, b => Assert.Equal(4, created.Count(p => p.Replicas.Contains(b))));

        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = Topic, IncreaseTo = 12 }]);
        var grown = await PlacementAsync(cluster, 12);
        Assert.All(grown, p => AssertOneReplicaPerRack(p.PartitionId, p.Replicas));
        Assert.All(created, p => Assert.Equal(p.Replicas, grown.Single(g => g.PartitionId == p.PartitionId).Replicas));
    }

    private static void AssertOneReplicaPerRack(int partition, int[] replicas)
    {
        Assert.Equal(2, replicas.Length);
        Assert.True(RackOf(replicas[0]) != RackOf(replicas[1]), $"partition {partition} has replicas {string.Join(",", replicas)} in one rack");
    }

    /// <summary>
    /// DescribeCluster once it lists all four brokers: the broker that answers may not yet have applied the last
    /// registration, and a request it leaves unanswered is asked again rather than waited on for a minute.
    /// </summary>
    private static async Task<DescribeClusterResult> DescribeAllBrokersAsync(IAdminClient admin)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                var described = await admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
                if (described.Nodes.Count == Brokers.Length)
                    return described;
            }
            catch (KafkaException) when (DateTime.UtcNow < until)
            {
            }
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"DescribeCluster did not list {Brokers.Length} brokers within {Deadline.TotalSeconds:0} s");
            await Task.Delay(200);
        }
    }

    /// <summary>The topic's partitions once it has the given count, each with a leader.</summary>
    private static async Task<List<PartitionMetadata>> PlacementAsync(FreshetCluster cluster, int partitions)
    {
        List<PartitionMetadata>? placed = null;
        // The broker answering Metadata may apply the new image a moment after the controller committed it.
        await FreshetCluster.WaitUntilAsync(
            () => (placed = cluster.Metadata(Topic, TimeSpan.FromSeconds(5))?.Topics.Single().Partitions) is { } p
                  && p.Count == partitions && p.TrueForAll(x => x.Leader > 0),
            Deadline, $"{partitions} partitions with leaders");
        return placed!;
    }
}
