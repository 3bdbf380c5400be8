using Freshet.Broker.Tests.Coordination;
using Freshet.Broker.Groups;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Tests.Groups;

/// <summary>Offsets committed in a transaction: pending until the marker, committed or dropped by it, reloaded the same way.</summary>
public sealed class GroupTransactionalOffsetsTests
{
    private static readonly TopicPartition P0 = new("t", 0);
    private static readonly TopicPartition P1 = new("t", 1);

    [Fact]
    public void Transactional_offsets_are_invisible_and_unstable_until_the_commit_marker()
    {
        var kit = new GroupTestKit();
        kit.Coordinator.Commit("g", -1, "", null, [new(P0, 5, -1, "")]);

        var errors = kit.Coordinator.CommitTransactional("g", 42, 0, -1, "", null, [new(P0, 10, -1, ""), new(P1, 20, -1, "m")]);

        Assert.All(errors, e => Assert.Equal(ErrorCode.None, e));
        kit.Coordinator.Fetch("g", [P0, P1], out var before);
        Assert.Equal(5, before[0].Offset!.Value.Offset);
        Assert.Null(before[1].Offset);
        Assert.Equal([P0, P1], kit.Coordinator.UnstablePartitions("g").OrderBy(p => p.Partition));
        var stored = kit.Store.Entries[^1];
        Assert.True(stored.IsTransactional);
        Assert.Equal(42, stored.ProducerId);

        kit.Coordinator.CompleteTransaction(42, 0, commit: true);

        kit.Coordinator.Fetch("g", [P0, P1], out var after);
        Assert.Equal(10, after[0].Offset!.Value.Offset);
        Assert.Equal(20, after[1].Offset!.Value.Offset);
        Assert.Empty(kit.Coordinator.UnstablePartitions("g"));
    }

    [Fact]
    public void An_abort_marker_drops_the_pending_offsets_and_other_producers_are_untouched()
    {
        var kit = new GroupTestKit();
        kit.Coordinator.CommitTransactional("g", 1, 0, -1, "", null, [new(P0, 10, -1, "")]);
        kit.Coordinator.CommitTransactional("g", 2, 0, -1, "", null, [new(P1, 30, -1, "")]);

        kit.Coordinator.CompleteTransaction(1, 0, commit: false);
        kit.Coordinator.CompleteTransaction(2, 7, commit: true);

        kit.Coordinator.Fetch("g", [P0, P1], out var offsets);
        Assert.Null(offsets[0].Offset);
        Assert.Null(offsets[1].Offset);
        Assert.Equal([P1], kit.Coordinator.UnstablePartitions("g"));
    }

    [Fact]
    public async Task A_member_commit_in_a_transaction_checks_member_and_generation()
    {
        var kit = new GroupTestKit();
        var (leader, _, generation) = await GroupMembershipTests.FormStableGroup(kit);

        Assert.Equal([ErrorCode.None], kit.Coordinator.CommitTransactional("g", 1, 0, generation, leader, null, [new(P0, 1, -1, "")]));
        Assert.Equal([ErrorCode.IllegalGeneration], kit.Coordinator.CommitTransactional("g", 1, 0, generation + 1, leader, null, [new(P0, 1, -1, "")]));
        Assert.Equal([ErrorCode.UnknownMemberId], kit.Coordinator.CommitTransactional("g", 1, 0, generation, "ghost", null, [new(P0, 1, -1, "")]));
    }

    [Fact]
    public void Loading_honours_markers_and_keeps_open_transactions_pending()
    {
        var kit = new GroupTestKit();
        kit.Coordinator.CommitTransactional("g", 1, 0, -1, "", null, [new(P0, 10, -1, "")]);
        kit.Store.AppendMarker(1, commit: true);
        kit.Coordinator.CommitTransactional("g", 2, 0, -1, "", null, [new(P0, 99, -1, "")]);
        kit.Store.AppendMarker(2, commit: false);
        kit.Coordinator.CommitTransactional("g", 3, 0, -1, "", null, [new(P1, 50, -1, "")]);

        var reloaded = new GroupTestKit(store: kit.Store);

        reloaded.Coordinator.Fetch("g", [P0, P1], out var offsets);
        Assert.Equal(10, offsets[0].Offset!.Value.Offset);
        Assert.Null(offsets[1].Offset);
        Assert.Equal([P1], reloaded.Coordinator.UnstablePartitions("g"));
        reloaded.Coordinator.CompleteTransaction(3, 0, commit: true);
        reloaded.Coordinator.Fetch("g", [P1], out var committed);
        Assert.Equal(50, committed[0].Offset!.Value.Offset);
    }
}
