using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;
using static Freshet.IntegrationTests.Cluster.ClusterTestSupport;

namespace Freshet.IntegrationTests.Cluster;

/// <summary>
/// Admin requests against a real three-node cluster, each sent to a broker that may not be the active controller
/// (which then forwards it): topic creation with replica placement, DescribeCluster, CreatePartitions, a
/// reassignment that moves a replica, and a preferred-leader election.
/// </summary>
public sealed class ClusterAdminTests
{
    private static readonly int[] Brokers = [1, 2, 3];

    [Fact]
    public async Task Admin_requests_reach_the_controller_from_any_broker_and_take_effect_everywhere()
    {
        await using var cluster = await FreshetCluster.StartAsync(3, FreshetCluster.FastFailover);
        await cluster.WaitForBrokersAsync(Deadline);
        var controller = await cluster.WaitForActiveControllerAsync(Deadline);
        var other = controller % 3 + 1;
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.Node(other).BootstrapServers }).Build();

        var description = await admin.DescribeClusterAsync();
        Assert.Equal(Brokers, description.Nodes.Select(n => n.Id).Order());
        Assert.Equal(controller, description.Controller.Id);

        await admin.CreateTopicsAsync([new TopicSpecification { Name = "placed", NumPartitions = 6, ReplicationFactor = 2 }]);
        // The broker answering Metadata may apply the new image a moment after the controller committed it.
        TopicMetadata? placed = null;
        await FreshetCluster.WaitUntilAsync(
            () => (placed = cluster.Metadata("placed", TimeSpan.FromSeconds(5))?.Topics.Single()) is { Partitions.Count: 6 } t && t.Partitions.TrueForAll(p => p.Leader > 0),
            Deadline, "6 partitions with leaders");
        // Balanced: every broker leads two partitions and holds four replicas.
        Assert.All(Brokers, b => Assert.Equal(2, placed!.Partitions.Count(p => p.Leader == b)));
        Assert.All(Brokers, b => Assert.Equal(4, placed!.Partitions.Count(p => p.Replicas.Contains(b))));

        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "placed", IncreaseTo = 8 }]);
        await FreshetCluster.WaitUntilAsync(
            () => cluster.Metadata("placed", TimeSpan.FromSeconds(5))?.Topics.Single().Partitions.Count == 8, Deadline, "8 partitions");

        // Move partition 0 to the one broker that does not hold it, through a broker that is not the controller.
        var partition0 = placed!.Partitions.Single(p => p.PartitionId == 0);
        var outsider = Brokers.Single(b => !partition0.Replicas.Contains(b));
        var target = new List<int> { outsider, partition0.Replicas[0] };
        using (var connection = await RawConnection.ConnectAsync(cluster.Node(other).BootstrapServers))
        {
            await connection.SendAsync(new AlterPartitionReassignmentsRequest
            {
                Topics = [new AlterPartitionReassignmentsRequest.ReassignableTopic { Name = "placed", Partitions = [new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = 0, Replicas = target }] }],
            }, 0);
            var (_, reassigned) = await connection.ReadResponseAsync<AlterPartitionReassignmentsResponse>(ApiKey.AlterPartitionReassignments, 0);
            Assert.Equal(0, reassigned.ErrorCode);
            Assert.Equal(0, reassigned.Responses.Single().Partitions.Single().ErrorCode);
        }
        await FreshetCluster.WaitUntilAsync(
            () => cluster.Metadata("placed", TimeSpan.FromSeconds(5))?.Topics.Single().Partitions.Single(p => p.PartitionId == 0) is { } p
                  && p.Replicas.Order().SequenceEqual(target.Order()) && p.InSyncReplicas.Length == 2,
            Deadline, "partition 0 moved to its target replicas");
        using (var connection = await RawConnection.ConnectAsync(cluster.Node(other).BootstrapServers))
        {
            await connection.SendAsync(new ListPartitionReassignmentsRequest { Topics = null }, 0);
            var (_, listed) = await connection.ReadResponseAsync<ListPartitionReassignmentsResponse>(ApiKey.ListPartitionReassignments, 0);
            Assert.Equal(0, listed.ErrorCode);
            Assert.Empty(listed.Topics);
        }

        // Every partition already has its preferred leader, so a preferred election has nothing to do.
        var elected = await Assert.ThrowsAsync<ElectLeadersException>(() => admin.ElectLeadersAsync(ElectionType.Preferred, [new TopicPartition("placed", 1)]));
        Assert.Equal(Confluent.Kafka.ErrorCode.ElectionNotNeeded, elected.Results.TopicPartitions.Single().Error.Code);
    }
}
