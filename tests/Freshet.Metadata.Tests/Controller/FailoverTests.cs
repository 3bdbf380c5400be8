using Freshet.Metadata.Controller;
using Freshet.Metadata.Image;
using Freshet.Protocol.Messages;

namespace Freshet.Metadata.Tests.Controller;

public class FailoverTests
{
    [Fact]
    public async Task Producer_id_blocks_follow_each_other_and_need_a_current_broker_epoch()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1);

        var first = await active.AllocateProducerIdsAsync(1, cluster.Epochs[1]);
        var second = await active.AllocateProducerIdsAsync(1, cluster.Epochs[1]);

        Assert.Equal(ErrorCode.None, first.Error);
        Assert.Equal(0, first.FirstProducerId);
        Assert.Equal(1000, first.Count);
        Assert.Equal(1000, second.FirstProducerId);
        Assert.Equal(ErrorCode.StaleBrokerEpoch, (await active.AllocateProducerIdsAsync(1, cluster.Epochs[1] - 1)).Error);
        Assert.Equal(ErrorCode.BrokerIdNotRegistered, (await active.AllocateProducerIdsAsync(5, 0)).Error);
    }

    [Fact]
    public async Task Every_operation_on_a_controller_that_is_not_active_answers_not_controller()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 3);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1);
        var standby = cluster.Controllers.First(c => c.NodeId != active.NodeId);

        Assert.False(standby.IsActive);
        Assert.Equal(ErrorCode.NotController, (await standby.RegisterBrokerAsync(new BrokerRegistrationSpec(2, default, [], null))).Error);
        Assert.Equal(ErrorCode.NotController, (await standby.HeartbeatAsync(new BrokerHeartbeat(1, cluster.Epochs[1], 0))).Error);
        Assert.Equal(ErrorCode.NotController, (await standby.CreateTopicAsync(new CreateTopicSpec("t", 1, 1))).Error);
        Assert.Equal(ErrorCode.NotController, (await standby.AllocateProducerIdsAsync(1, cluster.Epochs[1])).Error);
        Assert.Equal(ErrorCode.NotController, (await standby.AlterPartitionAsync(1, cluster.Epochs[1], [])).Error);
        Assert.Equal(ErrorCode.NotController, (await standby.ElectLeadersAsync(ElectionType.Preferred, null)).Error);
        Assert.Equal(ErrorCode.NotController, (await standby.DeleteTopicAsync("t")).Error);
    }

    [Fact]
    public async Task A_new_active_controller_continues_after_the_last_producer_id_block_and_keeps_brokers_registered()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 3);
        var first = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        Assert.Equal(ErrorCode.None, (await first.CreateTopicAsync(new CreateTopicSpec("t", 2, 2))).Error);
        var before = new List<ProducerIdsReply>
        {
            await first.AllocateProducerIdsAsync(1, cluster.Epochs[1]),
            await first.AllocateProducerIdsAsync(2, cluster.Epochs[2]),
        };

        await cluster.StopNodeAsync(first.NodeId);
        var next = await cluster.ActiveAsync();
        var after = new List<ProducerIdsReply>
        {
            await next.AllocateProducerIdsAsync(1, cluster.Epochs[1]),
            await next.AllocateProducerIdsAsync(2, cluster.Epochs[2]),
        };

        Assert.NotEqual(first.NodeId, next.NodeId);
        var blocks = before.Concat(after).ToList();
        Assert.All(blocks, b => Assert.Equal(ErrorCode.None, b.Error));
        for (var i = 1; i < blocks.Count; i++)
            Assert.True(blocks[i].FirstProducerId >= blocks[i - 1].FirstProducerId + blocks[i - 1].Count, "Producer id blocks overlap.");
        // The brokers' registrations survive the failover and their sessions start afresh.
        Assert.Equal(ErrorCode.None, (await cluster.HeartbeatAsync(1)).Error);
        Assert.NotNull(next.Image.TopicByName("t"));
    }

    [Fact]
    public async Task A_new_active_controller_fences_brokers_that_stop_heartbeating_after_the_failover()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 3);
        var first = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        Assert.Equal(ErrorCode.None, (await first.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2]]))).Error);

        await cluster.StopNodeAsync(first.NodeId);
        var next = await cluster.ActiveAsync();
        // The first operation activates the new controller: every broker's session starts now.
        Assert.Equal(ErrorCode.None, (await cluster.HeartbeatAsync(2)).Error);
        cluster.Clock.Advance(TimeSpan.FromMilliseconds(ControllerCluster.SessionTimeoutMs - 1));
        await cluster.HeartbeatAsync(2);
        cluster.Clock.Advance(TimeSpan.FromMilliseconds(2));
        await next.FenceExpiredBrokersAsync(CancellationToken.None);

        Assert.True(next.Image.Brokers[1].Fenced);
        Assert.False(next.Image.Brokers[2].Fenced);
        Assert.Equal(2, next.Image.Partition("t", 0)!.Leader);
    }

    [Fact]
    public async Task A_new_active_controller_keeps_a_broker_in_controlled_shutdown_out_of_elections_and_isrs()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 3);
        var first = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2, 3);
        Assert.Equal(ErrorCode.None, (await first.CreateTopicAsync(new CreateTopicSpec("u", 0, 0, Assignments: [[2, 1, 3]]))).Error);
        Assert.Equal(ErrorCode.None, (await first.CreateTopicAsync(new CreateTopicSpec("solo", 0, 0, Assignments: [[1]]))).Error);

        // Broker 1 asks to stop; it has not yet applied the changes that moved its leaderships, so it may not stop yet.
        var asked = await first.HeartbeatAsync(new BrokerHeartbeat(1, cluster.Epochs[1], 0, WantShutDown: true));
        Assert.True(asked.InControlledShutdown);
        Assert.False(asked.ShouldShutDown);
        Assert.Equal(PartitionImage.NoLeader, first.Image.Partition("solo", 0)!.Leader);

        await cluster.StopNodeAsync(first.NodeId);
        var next = await cluster.ActiveAsync();
        Assert.NotEqual(first.NodeId, next.NodeId);
        Assert.True(next.Image.Brokers[1].InControlledShutdown);
        Assert.False(next.Image.Brokers[1].Fenced);

        // Still registered and unfenced, broker 1 may neither lead again nor rejoin an ISR under the new controller.
        var preferred = await next.ElectLeadersAsync(ElectionType.Preferred, [new TopicPartitionName("solo", 0)]);
        Assert.Equal(ErrorCode.PreferredLeaderNotAvailable, preferred.Partitions[0].Error);
        Assert.Equal(PartitionImage.NoLeader, next.Image.Partition("solo", 0)!.Leader);
        var u = next.Image.Partition("u", 0)!;
        Assert.Equal([2, 3], u.Isr.ToArray());
        var rejoin = await next.AlterPartitionAsync(2, cluster.Epochs[2], [new IsrUpdate(next.Image.TopicByName("u")!.Id, 0, u.LeaderEpoch, u.PartitionEpoch, [2, 3, 1])]);
        Assert.Equal(ErrorCode.IneligibleReplica, rejoin.Partitions[0].Error);
        // Its heartbeats do not unfence or re-admit it either; once it has applied the log it may stop.
        var done = await next.HeartbeatAsync(new BrokerHeartbeat(1, cluster.Epochs[1], next.Image.Offset, WantShutDown: true));
        Assert.True(done.ShouldShutDown);
        Assert.True(next.Image.Brokers[1].Fenced);
    }
}
