using Freshet.Metadata.Controller;
using Freshet.Protocol.Messages;

namespace Freshet.Metadata.Tests.Controller;

public class ReassignmentTests
{
    [Fact]
    public async Task A_reassignment_adds_the_new_replicas_and_completes_when_they_join_the_isr()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2, 3);
        var topicId = (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2]]))).TopicId;

        var reply = await active.AlterPartitionReassignmentsAsync([new ReassignmentSpec("t", 0, [2, 3])]);

        Assert.Equal(ErrorCode.None, Assert.Single(reply.Partitions).Error);
        var moving = active.Image.Partition("t", 0)!;
        Assert.Equal([2, 3, 1], moving.Replicas.ToArray());
        Assert.Equal([3], moving.AddingReplicas.ToArray());
        Assert.Equal([1], moving.RemovingReplicas.ToArray());
        Assert.Equal([1, 2], moving.Isr.ToArray());
        Assert.Equal(1, moving.Leader);
        var listed = Assert.Single((await active.ListPartitionReassignmentsAsync(null)).Reassignments);
        Assert.Equal(("t", 0), (listed.Topic, listed.Partition));
        Assert.Equal([3], listed.AddingReplicas.ToArray());

        // The leader reports the new replica in sync: the old one leaves and leadership moves to the target.
        var done = await active.AlterPartitionAsync(1, cluster.Epochs[1], [new IsrUpdate(topicId, 0, moving.LeaderEpoch, moving.PartitionEpoch, [1, 2, 3])]);

        Assert.Equal(ErrorCode.None, done.Partitions[0].Error);
        var moved = active.Image.Partition("t", 0)!;
        Assert.Equal([2, 3], moved.Replicas.ToArray());
        Assert.Equal([2, 3], moved.Isr.ToArray());
        Assert.Empty(moved.AddingReplicas);
        Assert.Empty(moved.RemovingReplicas);
        Assert.Equal(2, moved.Leader);
        Assert.Equal(2, done.Partitions[0].Leader);
        Assert.Empty((await active.ListPartitionReassignmentsAsync([new TopicPartitionName("t", 0)])).Reassignments);
    }

    [Fact]
    public async Task A_reassignment_that_only_removes_replicas_completes_at_once()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2, 3);
        await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2, 3]]));

        await active.AlterPartitionReassignmentsAsync([new ReassignmentSpec("t", 0, [2, 3])]);

        var partition = active.Image.Partition("t", 0)!;
        Assert.Equal([2, 3], partition.Replicas.ToArray());
        Assert.Equal([2, 3], partition.Isr.ToArray());
        Assert.Equal(2, partition.Leader);
        Assert.Empty(partition.RemovingReplicas);
    }

    [Fact]
    public async Task Cancelling_returns_to_the_original_replicas_and_bad_requests_get_kafkas_errors()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2, 3, 4);
        await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2]]));
        await active.AlterPartitionReassignmentsAsync([new ReassignmentSpec("t", 0, [3, 4])]);
        Assert.Equal([3, 4, 1, 2], active.Image.Partition("t", 0)!.Replicas.ToArray());

        var reply = await active.AlterPartitionReassignmentsAsync(
        [
            new ReassignmentSpec("t", 0, null),
            new ReassignmentSpec("t", 9, [1]),
            new ReassignmentSpec("missing", 0, [1]),
        ]);

        Assert.Equal([ErrorCode.None, ErrorCode.UnknownTopicOrPartition, ErrorCode.UnknownTopicOrPartition], reply.Partitions.Select(p => p.Error));
        var partition = active.Image.Partition("t", 0)!;
        Assert.Equal([1, 2], partition.Replicas.ToArray());
        Assert.Equal([1, 2], partition.Isr.ToArray());
        Assert.Empty(partition.AddingReplicas);
        Assert.Empty(partition.RemovingReplicas);

        var offset = active.Image.Offset;
        Assert.Equal(ErrorCode.NoReassignmentInProgress, (await active.AlterPartitionReassignmentsAsync([new ReassignmentSpec("t", 0, null)])).Partitions[0].Error);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await active.AlterPartitionReassignmentsAsync([new ReassignmentSpec("t", 0, [1, 7])])).Partitions[0].Error);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await active.AlterPartitionReassignmentsAsync([new ReassignmentSpec("t", 0, [1, 1])])).Partitions[0].Error);
        Assert.Equal(offset, active.Image.Offset);
    }
}
