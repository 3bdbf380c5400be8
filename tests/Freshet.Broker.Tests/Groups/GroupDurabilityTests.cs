using Freshet.Broker.Groups;
using Freshet.Broker.Tests.Coordination;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// Offsets and assignments count once every in-sync replica of __consumer_offsets has them: the answer waits for
/// that, OffsetFetch never shows a commit that could still be lost, and a write that fails changes nothing.
/// </summary>
public sealed class GroupDurabilityTests
{
    private static readonly TopicPartition P0 = new("t", 0);

    [Fact]
    public async Task A_commit_is_answered_and_fetched_only_once_the_replicas_have_it()
    {
        var kit = new GroupTestKit();
        kit.Store.Replicas.Holding = true;

        var commit = kit.Coordinator.CommitAsync("g", -1, "", null, [new(P0, 42, -1, "")]).AsTask();

        Assert.False(commit.IsCompleted);
        Assert.Single(kit.Store.Records);
        Assert.Null(Fetched(kit));

        kit.Store.Replicas.Release();

        Assert.Equal([ErrorCode.None], await commit.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(42, Fetched(kit));
    }

    [Theory]
    [InlineData(ErrorCode.CoordinatorNotAvailable)]
    [InlineData(ErrorCode.NotCoordinator)]
    public async Task A_commit_that_does_not_reach_the_replicas_leaves_the_committed_offset_unchanged(ErrorCode failure)
    {
        var kit = new GroupTestKit();
        Assert.Equal([ErrorCode.None], kit.Coordinator.Commit("g", -1, "", null, [new(P0, 5, -1, "")]));
        kit.Store.Replicas.Holding = true;

        var commit = kit.Coordinator.CommitAsync("g", -1, "", null, [new(P0, 9, -1, "")]).AsTask();
        kit.Store.Replicas.Release(failure);

        Assert.Equal([failure], await commit.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(5, Fetched(kit));
    }

    [Fact]
    public async Task Commits_that_become_durable_out_of_order_keep_the_later_one()
    {
        var kit = new GroupTestKit();
        kit.Store.Replicas.Holding = true;

        var first = kit.Coordinator.CommitAsync("g", -1, "", null, [new(P0, 10, -1, "")]).AsTask();
        var second = kit.Coordinator.CommitAsync("g", -1, "", null, [new(P0, 20, -1, "")]).AsTask();
        kit.Store.Replicas.ReleaseOne(oldest: false);
        await second.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(20, Fetched(kit));
        kit.Store.Replicas.Release();
        await first.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(20, Fetched(kit));
    }

    [Fact]
    public async Task Transactional_offsets_are_held_pending_only_once_the_replicas_have_them()
    {
        var kit = new GroupTestKit();
        kit.Store.Replicas.Holding = true;

        var failed = kit.Coordinator.CommitTransactionalAsync("g", 7, 0, -1, "", null, [new(P0, 3, -1, "")]).AsTask();
        Assert.Empty(kit.Coordinator.UnstablePartitions("g"));
        kit.Store.Replicas.Release(ErrorCode.CoordinatorNotAvailable);
        Assert.Equal([ErrorCode.CoordinatorNotAvailable], await failed.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Empty(kit.Coordinator.UnstablePartitions("g"));

        var held = kit.Coordinator.CommitTransactionalAsync("g", 7, 0, -1, "", null, [new(P0, 4, -1, "")]).AsTask();
        Assert.Empty(kit.Coordinator.UnstablePartitions("g"));
        kit.Store.Replicas.Release();
        Assert.Equal([ErrorCode.None], await held.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([P0], kit.Coordinator.UnstablePartitions("g"));

        kit.Coordinator.CompleteTransaction(7, 0, commit: true);
        Assert.Equal(4, Fetched(kit));
    }

    [Fact]
    public async Task SyncGroup_hands_out_the_assignment_only_once_the_replicas_have_it()
    {
        var kit = new GroupTestKit();
        var (leader, follower, generation) = await GroupMembershipTests.FormTwoMemberGroup(kit);
        kit.Store.Replicas.Holding = true;

        var followerSync = kit.Sync(follower, generation);
        var leaderSync = kit.Sync(leader, generation, new() { [leader] = new byte[] { 1 }, [follower] = new byte[] { 2 } });

        Assert.False(leaderSync.IsCompleted);
        Assert.False(followerSync.IsCompleted);
        Assert.Equal(GroupState.CompletingRebalance, kit.State());

        kit.Store.Replicas.Release();

        Assert.Equal([2], (await followerSync.WaitAsync(TimeSpan.FromSeconds(30))).Assignment.ToArray());
        Assert.Equal([1], (await leaderSync.WaitAsync(TimeSpan.FromSeconds(30))).Assignment.ToArray());
        Assert.Equal(GroupState.Stable, kit.State());
    }

    [Fact]
    public async Task SyncGroup_fails_and_the_group_rebalances_when_the_assignment_does_not_reach_the_replicas()
    {
        var kit = new GroupTestKit();
        var (leader, follower, generation) = await GroupMembershipTests.FormTwoMemberGroup(kit);
        kit.Store.Replicas.Holding = true;

        var followerSync = kit.Sync(follower, generation);
        var leaderSync = kit.Sync(leader, generation, new() { [leader] = new byte[] { 1 }, [follower] = new byte[] { 2 } });
        kit.Store.Replicas.Release(ErrorCode.CoordinatorNotAvailable);

        Assert.Equal((short)ErrorCode.CoordinatorNotAvailable, (await leaderSync.WaitAsync(TimeSpan.FromSeconds(30))).ErrorCode);
        Assert.Equal((short)ErrorCode.CoordinatorNotAvailable, (await followerSync.WaitAsync(TimeSpan.FromSeconds(30))).ErrorCode);
        Assert.Equal(GroupState.PreparingRebalance, kit.State());
    }

    private static long? Fetched(GroupTestKit kit)
    {
        Assert.Equal(ErrorCode.None, kit.Coordinator.Fetch("g", [P0], out var offsets));
        return Assert.Single(offsets).Offset?.Offset;
    }
}
