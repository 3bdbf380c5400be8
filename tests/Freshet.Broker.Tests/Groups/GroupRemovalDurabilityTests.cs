using Freshet.Broker.Groups;
using Freshet.Broker.Tests.Coordination;
using Freshet.Broker.Tests.Replication;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// DeleteGroups, OffsetDelete, offset expiry and a static member's replacement count once every in-sync replica of
/// __consumer_offsets has their records: the answer waits for that, nothing changes meanwhile, and a write that fails
/// leaves the group as it was.
/// </summary>
public sealed class GroupRemovalDurabilityTests
{
    private static readonly TopicPartition P0 = new("t", 0);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DeleteGroups_answers_once_the_tombstones_are_durable_and_only_then_removes_the_group()
    {
        var kit = CommittedEmptyGroup();
        kit.Store.Replicas.Holding = true;

        var delete = kit.Coordinator.DeleteGroupAsync("g").AsTask();

        Assert.False(delete.IsCompleted);
        Assert.Equal(GroupState.Empty, kit.State());
        Assert.Equal(5, Fetched(kit));

        kit.Store.Replicas.Release();

        Assert.Equal(ErrorCode.None, await delete.WaitAsync(Patience));
        Assert.False(kit.Coordinator.TryGetGroup("g", out _));
        Assert.Null(Fetched(kit));
    }

    [Theory]
    [InlineData(ErrorCode.CoordinatorNotAvailable)]
    [InlineData(ErrorCode.NotCoordinator)]
    public async Task A_group_deletion_that_does_not_reach_the_replicas_leaves_the_group_and_its_offsets(ErrorCode failure)
    {
        var kit = CommittedEmptyGroup();
        kit.Store.Replicas.Holding = true;

        var delete = kit.Coordinator.DeleteGroupAsync("g").AsTask();
        kit.Store.Replicas.Release(failure);

        Assert.Equal(failure, await delete.WaitAsync(Patience));
        Assert.Equal(GroupState.Empty, kit.State());
        Assert.Equal(5, Fetched(kit));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_offset_committed_after_the_deletion_was_written_survives_it(bool deletionDurableFirst)
    {
        var kit = CommittedEmptyGroup();
        kit.Store.Replicas.Holding = true;

        var delete = kit.Coordinator.DeleteGroupAsync("g").AsTask();
        var commit = kit.Coordinator.CommitAsync("g", -1, "", null, [new(P0, 8, -1, "")]).AsTask();
        // One of the two writes becomes durable while the other is still on its way.
        kit.Store.Replicas.ReleaseOne(oldest: deletionDurableFirst);
        var (first, second) = deletionDurableFirst ? ((Task)delete, (Task)commit) : (commit, delete);
        await first.WaitAsync(Patience);
        Assert.False(second.IsCompleted);
        kit.Store.Replicas.Release();

        Assert.Equal(ErrorCode.None, await delete.WaitAsync(Patience));
        Assert.Equal([ErrorCode.None], await commit.WaitAsync(Patience));
        // As reading the log again would give: the tombstones, then the later commit.
        Assert.Equal(8, Fetched(kit));
        Assert.Equal(8, Fetched(new GroupTestKit(store: kit.Store)));
    }

    [Fact]
    public async Task OffsetDelete_answers_once_the_tombstones_are_durable_and_a_failed_one_keeps_the_offset()
    {
        var kit = CommittedEmptyGroup();
        kit.Store.Replicas.Holding = true;

        var failed = kit.Coordinator.DeleteOffsetsAsync("g", [P0]).AsTask();
        Assert.False(failed.IsCompleted);
        kit.Store.Replicas.Release(ErrorCode.CoordinatorNotAvailable);
        Assert.Equal(ErrorCode.CoordinatorNotAvailable, (await failed.WaitAsync(Patience)).Group);
        Assert.Equal(5, Fetched(kit));

        var deleted = kit.Coordinator.DeleteOffsetsAsync("g", [P0]).AsTask();
        Assert.False(deleted.IsCompleted);
        Assert.Equal(5, Fetched(kit));
        kit.Store.Replicas.Release();

        var (groupError, partitionErrors) = await deleted.WaitAsync(Patience);
        Assert.Equal(ErrorCode.None, groupError);
        Assert.Equal([ErrorCode.None], partitionErrors);
        Assert.Null(Fetched(kit));
    }

    [Fact]
    public async Task Expired_offsets_and_their_group_go_only_once_the_tombstones_are_durable()
    {
        var kit = CommittedEmptyGroup();
        kit.Store.Replicas.Holding = true;

        kit.Advance(kit.Options.OffsetsRetention + kit.Options.OffsetsRetentionCheckInterval);

        Assert.Equal(1, kit.Store.Replicas.Count);
        Assert.Equal(5, Fetched(kit));
        Assert.Equal(GroupState.Empty, kit.State());

        kit.Store.Replicas.Release();
        await kit.Coordinator.RetentionWrites.WaitAsync(Patience);

        Assert.Null(Fetched(kit));
        Assert.False(kit.Coordinator.TryGetGroup("g", out _));
    }

    [Fact]
    public async Task Offsets_whose_expiry_does_not_reach_the_replicas_stay_and_expire_at_a_later_check()
    {
        var kit = CommittedEmptyGroup();
        kit.Store.Replicas.Holding = true;

        kit.Advance(kit.Options.OffsetsRetention + kit.Options.OffsetsRetentionCheckInterval);
        kit.Store.Replicas.Release(ErrorCode.CoordinatorNotAvailable);
        await kit.Coordinator.RetentionWrites.WaitAsync(Patience);

        Assert.Equal(5, Fetched(kit));
        Assert.Equal(GroupState.Empty, kit.State());

        kit.Advance(kit.Options.OffsetsRetentionCheckInterval);
        kit.Store.Replicas.Release();
        await kit.Coordinator.RetentionWrites.WaitAsync(Patience);

        Assert.Null(Fetched(kit));
    }

    [Fact]
    public async Task A_replaced_static_member_gets_its_new_id_once_the_group_record_is_durable()
    {
        var kit = new GroupTestKit();
        var (_, oldId, generation) = await GroupMembershipTests.FormStableStaticGroup(kit);
        kit.Store.Replicas.Holding = true;

        var restarted = kit.Join(instanceId: "b");

        Assert.False(restarted.IsCompleted);
        kit.Store.Replicas.Release();

        var joined = await restarted.WaitAsync(Patience);
        Assert.Equal((short)ErrorCode.None, joined.ErrorCode);
        Assert.NotEqual(oldId, joined.MemberId);
        Assert.Equal(ErrorCode.None, kit.Coordinator.Heartbeat("g", generation, joined.MemberId, "b"));
    }

    [Fact]
    public async Task A_static_member_replacement_that_does_not_reach_the_replicas_keeps_the_old_member_id()
    {
        var kit = new GroupTestKit();
        var (_, oldId, _) = await GroupMembershipTests.FormStableStaticGroup(kit);
        kit.Store.Replicas.Holding = true;

        var restarted = kit.Join(instanceId: "b");
        kit.Store.Replicas.Release(ErrorCode.NotCoordinator);

        var refused = await restarted.WaitAsync(Patience);
        Assert.Equal((short)ErrorCode.NotCoordinator, refused.ErrorCode);
        Assert.True(kit.Coordinator.TryGetGroup("g", out var group));
        lock (group)
        {
            Assert.Equal(oldId, group.StaticMemberId("b"));
            Assert.True(group.Has(oldId));
        }
        Assert.Equal(GroupState.Stable, kit.State());
    }

    /// <summary>An Empty group "g" (no members) with offset 5 committed on P0.</summary>
    private static GroupTestKit CommittedEmptyGroup()
    {
        var kit = new GroupTestKit();
        Assert.Equal([ErrorCode.None], kit.Coordinator.Commit("g", -1, "", null, [new(P0, 5, -1, "")]));
        return kit;
    }

    private static long? Fetched(GroupTestKit kit)
    {
        Assert.Equal(ErrorCode.None, kit.Coordinator.Fetch("g", [P0], out var offsets));
        return Assert.Single(offsets).Offset?.Offset;
    }
}
