using Freshet.Metadata.Controller;
using Freshet.Metadata.Image;
using Freshet.Protocol.Messages;

namespace Freshet.Metadata.Tests.Controller;

public class ElectionTests
{
    [Fact]
    public async Task Preferred_election_returns_leadership_to_the_first_replica_once_it_is_back_in_sync()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        var topicId = (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2]]))).TopicId;
        var target = new TopicPartitionName("t", 0);
        await FenceBroker1Async(cluster, active);

        Assert.Equal(ErrorCode.PreferredLeaderNotAvailable, (await active.ElectLeadersAsync(ElectionType.Preferred, [target])).Partitions[0].Error);

        await cluster.HeartbeatAsync(1);
        var partition = active.Image.Partition("t", 0)!;
        // Unfenced but not yet back in the ISR: still not available.
        Assert.Equal(ErrorCode.PreferredLeaderNotAvailable, (await active.ElectLeadersAsync(ElectionType.Preferred, [target])).Partitions[0].Error);
        await active.AlterPartitionAsync(2, cluster.Epochs[2], [new IsrUpdate(topicId, 0, partition.LeaderEpoch, partition.PartitionEpoch, [2, 1])]);

        var elected = await active.ElectLeadersAsync(ElectionType.Preferred, [target, new TopicPartitionName("missing", 0)]);

        Assert.Equal(ErrorCode.None, elected.Partitions[0].Error);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, elected.Partitions[1].Error);
        Assert.Equal(1, active.Image.Partition("t", 0)!.Leader);
        Assert.Equal(2, active.Image.Partition("t", 0)!.LeaderEpoch);
        Assert.Equal(ErrorCode.ElectionNotNeeded, (await active.ElectLeadersAsync(ElectionType.Preferred, [target])).Partitions[0].Error);
    }

    [Fact]
    public async Task A_leader_fenced_out_of_a_shrunk_isr_leaves_the_partition_leaderless_until_an_unclean_election_is_requested()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        var topicId = (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2]]))).TopicId;
        await active.AlterPartitionAsync(1, cluster.Epochs[1], [new IsrUpdate(topicId, 0, 0, 0, [1])]);
        await FenceBroker1Async(cluster, active);
        var target = new TopicPartitionName("t", 0);
        Assert.Equal(PartitionImage.NoLeader, active.Image.Partition("t", 0)!.Leader);
        Assert.Equal(ErrorCode.PreferredLeaderNotAvailable, (await active.ElectLeadersAsync(ElectionType.Preferred, [target])).Partitions[0].Error);

        // As in Kafka, an explicitly requested unclean election does not depend on the config.
        Assert.Equal(ErrorCode.None, (await active.ElectLeadersAsync(ElectionType.Unclean, [target])).Partitions[0].Error);

        var partition = active.Image.Partition("t", 0)!;
        Assert.Equal(2, partition.Leader);
        Assert.Equal([2], partition.Isr.ToArray());
        Assert.Equal(ErrorCode.ElectionNotNeeded, (await active.ElectLeadersAsync(ElectionType.Unclean, [target])).Partitions[0].Error);
    }

    [Fact]
    public async Task An_unclean_election_with_no_live_replica_finds_no_eligible_leader()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1]]));
        await FenceBroker1Async(cluster, active);

        var reply = await active.ElectLeadersAsync(ElectionType.Unclean, [new TopicPartitionName("t", 0)]);

        Assert.Equal(ErrorCode.EligibleLeadersNotAvailable, reply.Partitions[0].Error);
    }

    [Fact]
    public async Task The_topic_config_enables_unclean_election_when_the_last_in_sync_leader_is_fenced()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        var topicId = (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2]]))).TopicId;
        await active.CreateTopicAsync(new CreateTopicSpec("clean", 0, 0, Assignments: [[1, 2]]));
        await active.AlterPartitionAsync(1, cluster.Epochs[1], [new IsrUpdate(topicId, 0, 0, 0, [1])]);
        var cleanId = active.Image.TopicByName("clean")!.Id;
        await active.AlterPartitionAsync(1, cluster.Epochs[1], [new IsrUpdate(cleanId, 0, 0, 0, [1])]);
        await active.AlterConfigsAsync(new ConfigResource(ConfigResource.TopicType, "t"), [new(QuorumController.UncleanLeaderElectionConfig, "true")]);

        await FenceBroker1Async(cluster, active);

        Assert.Equal(2, active.Image.Partition("t", 0)!.Leader);
        Assert.Equal(PartitionImage.NoLeader, active.Image.Partition("clean", 0)!.Leader);
    }

    [Fact]
    public async Task The_controller_option_enables_unclean_election_when_a_leader_is_fenced()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1, clock => new QuorumControllerOptions
        {
            Time = clock,
            BrokerSessionTimeoutMs = ControllerCluster.SessionTimeoutMs,
            SessionCheckIntervalMs = 3_600_000,
            LeaderImbalanceCheckIntervalMs = 3_600_000,
            UncleanLeaderElectionEnable = true,
        });
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        var topicId = (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2]]))).TopicId;
        await active.AlterPartitionAsync(1, cluster.Epochs[1], [new IsrUpdate(topicId, 0, 0, 0, [1])]);

        await FenceBroker1Async(cluster, active);

        var partition = active.Image.Partition("t", 0)!;
        Assert.Equal(2, partition.Leader);
        Assert.Equal([2], partition.Isr.ToArray());
    }

    [Fact]
    public async Task Automatic_rebalancing_moves_leadership_back_to_preferred_replicas()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1, clock => new QuorumControllerOptions
        {
            Time = clock,
            BrokerSessionTimeoutMs = ControllerCluster.SessionTimeoutMs,
            SessionCheckIntervalMs = 3_600_000,
            LeaderImbalanceCheckIntervalMs = 100,
        });
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        var topicId = (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2]]))).TopicId;
        await FenceBroker1Async(cluster, active);
        await cluster.HeartbeatAsync(1);
        var partition = active.Image.Partition("t", 0)!;
        Assert.Equal(2, partition.Leader);
        var rejoined = await active.AlterPartitionAsync(2, cluster.Epochs[2], [new IsrUpdate(topicId, 0, partition.LeaderEpoch, partition.PartitionEpoch, [2, 1])]);
        Assert.Equal(ErrorCode.None, rejoined.Partitions[0].Error);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (active.Image.Partition("t", 0)!.Leader != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "Leadership did not return to the preferred replica.");
            await Task.Delay(50);
        }
    }

    private static async Task FenceBroker1Async(ControllerCluster cluster, QuorumController active)
    {
        cluster.Clock.Advance(TimeSpan.FromMilliseconds(ControllerCluster.SessionTimeoutMs + 1));
        await cluster.HeartbeatAsync(2);
        await active.FenceExpiredBrokersAsync(CancellationToken.None);
        Assert.True(active.Image.Brokers[1].Fenced);
    }
}
