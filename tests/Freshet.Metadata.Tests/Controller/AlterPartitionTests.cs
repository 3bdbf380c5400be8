using Freshet.Metadata.Controller;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Tests.Controller;

public class AlterPartitionTests
{
    [Fact]
    public async Task A_leader_shrinks_and_expands_its_isr_and_gets_the_new_state_back()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2, 3);
        var topicId = (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2, 3]]))).TopicId;

        var shrunk = await active.AlterPartitionAsync(1, cluster.Epochs[1], [new IsrUpdate(topicId, 0, 0, 0, [1, 2])]);

        Assert.Equal(ErrorCode.None, shrunk.Error);
        var state = Assert.Single(shrunk.Partitions);
        Assert.Equal(ErrorCode.None, state.Error);
        Assert.Equal(1, state.Leader);
        Assert.Equal(0, state.LeaderEpoch);
        Assert.Equal(1, state.PartitionEpoch);
        Assert.Equal([1, 2], state.Isr.ToArray());
        Assert.Equal([1, 2], active.Image.Partition("t", 0)!.Isr.ToArray());

        var expanded = await active.AlterPartitionAsync(1, cluster.Epochs[1],
            [new IsrUpdate(topicId, 0, 0, 1, [1, 2, 3], [cluster.Epochs[1], cluster.Epochs[2], cluster.Epochs[3]])]);

        Assert.Equal(ErrorCode.None, expanded.Partitions[0].Error);
        Assert.Equal(2, expanded.Partitions[0].PartitionEpoch);
        Assert.Equal([1, 2, 3], active.Image.Partition("t", 0)!.Isr.ToArray());
    }

    [Fact]
    public async Task Stale_and_invalid_changes_are_refused_with_kafkas_errors_and_change_nothing()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2, 3);
        var topicId = (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2, 3]]))).TopicId;
        await active.AlterPartitionAsync(1, cluster.Epochs[1], [new IsrUpdate(topicId, 0, 0, 0, [1, 2])]);
        var epoch = cluster.Epochs[1];
        // Broker 3 restarts: a new epoch, fenced until it catches up.
        var oldEpoch3 = cluster.Epochs[3];
        cluster.Clock.Advance(TimeSpan.FromMilliseconds(ControllerCluster.SessionTimeoutMs + 1));
        await cluster.HeartbeatAsync(1);
        await cluster.HeartbeatAsync(2);
        await cluster.RegisterAsync(3);
        var offset = active.Image.Offset;

        Assert.Equal(ErrorCode.StaleBrokerEpoch, (await active.AlterPartitionAsync(1, epoch - 1, [new IsrUpdate(topicId, 0, 0, 1, [1])])).Error);
        Assert.Equal(ErrorCode.StaleBrokerEpoch, (await active.AlterPartitionAsync(9, epoch, [new IsrUpdate(topicId, 0, 0, 1, [1])])).Error);
        Assert.Equal(ErrorCode.FencedLeaderEpoch, await One(active, 1, epoch, new IsrUpdate(topicId, 0, 5, 1, [1])));
        Assert.Equal(ErrorCode.InvalidUpdateVersion, await One(active, 1, epoch, new IsrUpdate(topicId, 0, 0, 0, [1])));
        Assert.Equal(ErrorCode.InvalidRequest, await One(active, 2, cluster.Epochs[2], new IsrUpdate(topicId, 0, 0, 1, [2])));
        Assert.Equal(ErrorCode.InvalidRequest, await One(active, 1, epoch, new IsrUpdate(topicId, 0, 0, 1, [2])));
        Assert.Equal(ErrorCode.InvalidRequest, await One(active, 1, epoch, new IsrUpdate(topicId, 0, 0, 1, [1, 4])));
        Assert.Equal(ErrorCode.IneligibleReplica, await One(active, 1, epoch, new IsrUpdate(topicId, 0, 0, 1, [1, 2, 3])));
        Assert.Equal(ErrorCode.UnknownTopicId, await One(active, 1, epoch, new IsrUpdate(KafkaUuid.NewRandom(), 0, 0, 1, [1])));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, await One(active, 1, epoch, new IsrUpdate(topicId, 7, 0, 1, [1])));
        Assert.Equal(offset, active.Image.Offset);

        // Once unfenced, broker 3 may join, but not under the epoch of its previous incarnation.
        await cluster.HeartbeatAsync(3);
        Assert.Equal(ErrorCode.IneligibleReplica, await One(active, 1, epoch, new IsrUpdate(topicId, 0, 0, 1, [1, 2, 3], [epoch, cluster.Epochs[2], oldEpoch3])));
        Assert.Equal(ErrorCode.None, await One(active, 1, epoch, new IsrUpdate(topicId, 0, 0, 1, [1, 2, 3], [epoch, cluster.Epochs[2], cluster.Epochs[3]])));
    }

    [Fact]
    public async Task A_leader_that_was_replaced_is_fenced_by_its_old_leader_epoch()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        var topicId = (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2]]))).TopicId;

        // Broker 1 misses its heartbeats; 2 takes over with leader epoch 1.
        cluster.Clock.Advance(TimeSpan.FromMilliseconds(ControllerCluster.SessionTimeoutMs + 1));
        await cluster.HeartbeatAsync(2);
        await active.FenceExpiredBrokersAsync(CancellationToken.None);
        Assert.Equal(2, active.Image.Partition("t", 0)!.Leader);

        Assert.Equal(ErrorCode.FencedLeaderEpoch, await One(active, 1, cluster.Epochs[1], new IsrUpdate(topicId, 0, 0, 0, [1])));
        Assert.Equal(ErrorCode.None, await One(active, 2, cluster.Epochs[2], new IsrUpdate(topicId, 0, 1, 1, [2])));
    }

    private static async Task<ErrorCode> One(QuorumController active, int brokerId, long epoch, IsrUpdate update)
    {
        var reply = await active.AlterPartitionAsync(brokerId, epoch, [update]);
        Assert.Equal(ErrorCode.None, reply.Error);
        return Assert.Single(reply.Partitions).Error;
    }
}
