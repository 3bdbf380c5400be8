using Freshet.Broker.Tests.Coordination;
using Freshet.Broker.Groups;
using Freshet.Protocol.Messages;
using Freshet.Storage;
using static Freshet.Broker.Tests.Groups.GroupTestKit;

namespace Freshet.Broker.Tests.Groups;

/// <summary>Committed offsets: who may commit, what is stored, how it is reloaded and when it expires.</summary>
public sealed class GroupOffsetsTests
{
    private static readonly TopicPartition P0 = new("t", 0);
    private static readonly TopicPartition P1 = new("t", 1);

    [Fact]
    public void A_simple_consumer_commits_with_generation_minus_one_and_metadata_round_trips()
    {
        var kit = new GroupTestKit();
        var errors = kit.Coordinator.Commit("simple", -1, "", null, [new(P0, 42, 3, "hello"), new(P1, 7, -1, null)]);
        Assert.All(errors, e => Assert.Equal(ErrorCode.None, e));

        kit.Coordinator.Fetch("simple", [P0, P1, new("t", 2)], out var offsets);

        Assert.Equal(new CommittedOffset(42, 3, "hello", kit.Time.GetUtcNow().ToUnixTimeMilliseconds()), offsets[0].Offset);
        Assert.Equal("", offsets[1].Offset!.Value.Metadata);
        Assert.Null(offsets[2].Offset);
        Assert.Equal(GroupState.Empty, kit.State("simple"));
    }

    [Fact]
    public async Task A_member_commit_is_checked_against_its_generation()
    {
        var kit = new GroupTestKit();
        var (leader, _, generation) = await GroupMembershipTests.FormStableGroup(kit);

        Assert.Equal([ErrorCode.None], kit.Coordinator.Commit("g", generation, leader, null, [new(P0, 1, -1, "")]));
        Assert.Equal([ErrorCode.IllegalGeneration], kit.Coordinator.Commit("g", generation - 1, leader, null, [new(P0, 2, -1, "")]));
        Assert.Equal([ErrorCode.UnknownMemberId], kit.Coordinator.Commit("g", generation, "ghost", null, [new(P0, 2, -1, "")]));
        Assert.Equal([ErrorCode.UnknownMemberId], kit.Coordinator.Commit("g", -1, "", null, [new(P0, 2, -1, "")]));
        Assert.Equal([ErrorCode.IllegalGeneration], kit.Coordinator.Commit("unknown-group", 3, "m", null, [new(P0, 2, -1, "")]));
        var tooLong = new string('x', kit.Options.OffsetMetadataMaxBytes + 1);
        Assert.Equal([ErrorCode.OffsetMetadataTooLarge], kit.Coordinator.Commit("g", generation, leader, null, [new(P0, 2, -1, tooLong)]));

        kit.Coordinator.Fetch("g", null, out var offsets);
        Assert.Equal(1, Assert.Single(offsets).Offset!.Value.Offset);
    }

    [Fact]
    public async Task Replaying_the_stored_records_rebuilds_offsets_and_the_stable_group()
    {
        var kit = new GroupTestKit();
        var (leader, follower, generation) = await GroupMembershipTests.FormStableGroup(kit);
        kit.Coordinator.Commit("g", generation, leader, null, [new(P0, 10, -1, "a"), new(P1, 20, -1, "b")]);
        kit.Coordinator.Commit("g", generation, leader, null, [new(P0, 11, -1, "c")]);
        kit.Coordinator.Commit("other", -1, "", null, [new(P0, 5, -1, "")]);
        Assert.Equal(ErrorCode.None, kit.Coordinator.DeleteOffsets("other", [P0], out _));

        var reloaded = new GroupTestKit(store: kit.Store);

        reloaded.Coordinator.Fetch("g", null, out var offsets);
        Assert.Equal([(P0, 11L, "c"), (P1, 20L, "b")], offsets.OrderBy(o => o.Partition.Partition).Select(o => (o.Partition, o.Offset!.Value.Offset, o.Offset!.Value.Metadata)));
        Assert.Equal(GroupState.Stable, reloaded.State());
        Assert.Equal(ErrorCode.None, reloaded.Coordinator.Heartbeat("g", generation, follower, null));
        var sync = await reloaded.Sync(follower, generation);
        Assert.Equal(new byte[] { 2 }, sync.Assignment.ToArray());
        reloaded.Coordinator.Fetch("other", [P0], out var other);
        Assert.Null(Assert.Single(other).Offset);
    }

    [Fact]
    public void Offsets_of_an_empty_group_expire_after_the_retention_and_then_the_group_goes()
    {
        var kit = new GroupTestKit();
        kit.Coordinator.Commit("simple", -1, "", null, [new(P0, 1, -1, "")]);
        kit.Advance(kit.Options.OffsetsRetention / 2);
        kit.Coordinator.Commit("simple", -1, "", null, [new(P1, 1, -1, "")]);

        kit.Advance(kit.Options.OffsetsRetention / 2 + kit.Options.OffsetsRetentionCheckInterval);
        kit.Coordinator.Fetch("simple", null, out var left);
        Assert.Equal(P1, Assert.Single(left).Partition);

        kit.Advance(kit.Options.OffsetsRetention);
        Assert.Equal(GroupState.Dead, kit.State("simple"));
        var reloaded = new GroupTestKit(store: kit.Store);
        Assert.Equal(GroupState.Dead, reloaded.State("simple"));
    }

    [Fact]
    public async Task Only_an_empty_group_can_be_deleted()
    {
        var kit = new GroupTestKit();
        var (leader, follower, generation) = await GroupMembershipTests.FormStableGroup(kit);
        kit.Coordinator.Commit("g", generation, leader, null, [new(P0, 1, -1, "")]);
        Assert.Equal(ErrorCode.NonEmptyGroup, kit.Coordinator.DeleteGroup("g"));
        kit.Coordinator.Leave("g", [new(leader, null), new(follower, null)]);

        Assert.Equal(ErrorCode.None, kit.Coordinator.DeleteGroup("g"));
        Assert.Equal(ErrorCode.GroupIdNotFound, kit.Coordinator.DeleteGroup("g"));
        kit.Coordinator.Fetch("g", [P0], out var offsets);
        Assert.Null(Assert.Single(offsets).Offset);
    }
}
