using Freshet.Broker.Tests.Coordination;
using Freshet.Broker.Groups;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Tests.Groups;

/// <summary>The group coordinator follows the leadership of its __consumer_offsets partition: load, serve, resign.</summary>
public sealed class GroupLeadershipTests
{
    private static readonly TopicPartition P0 = new("t", 0);

    [Fact]
    public async Task Groups_of_a_partition_not_led_here_get_NOT_COORDINATOR()
    {
        var kit = new GroupTestKit(lead: false);

        Assert.Equal(ErrorCode.NotCoordinator, kit.Coordinator.Heartbeat("g", 1, "m", null));
        Assert.Equal((short)ErrorCode.NotCoordinator, (await kit.Join()).ErrorCode);
        Assert.Equal([ErrorCode.NotCoordinator], kit.Coordinator.Commit("g", -1, "", null, [new(P0, 1, -1, "")]));
        Assert.Equal(ErrorCode.NotCoordinator, kit.Coordinator.Fetch("g", [P0], out _));
        Assert.Equal((short)ErrorCode.NotCoordinator, kit.Coordinator.Describe("g").ErrorCode);
        Assert.Empty(kit.Store.Entries);
    }

    [Fact]
    public async Task While_the_partition_loads_requests_get_COORDINATOR_LOAD_IN_PROGRESS_then_the_loaded_offsets()
    {
        var seed = new GroupTestKit();
        seed.Coordinator.Commit("g", -1, "", null, [new(P0, 42, -1, "m")]);
        using var gate = new ManualResetEventSlim();
        seed.Store.ReadGate = gate;
        var kit = new GroupTestKit(store: seed.Store, lead: false);

        var load = kit.Coordinator.BecomeLeaderAsync(0, 1);

        Assert.Equal(ErrorCode.CoordinatorLoadInProgress, kit.Coordinator.Fetch("g", [P0], out _));
        Assert.Equal((short)ErrorCode.CoordinatorLoadInProgress, (await kit.Join()).ErrorCode);
        Assert.Equal(ErrorCode.CoordinatorLoadInProgress, kit.Coordinator.List([], [], out _));
        gate.Set();
        await load.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ErrorCode.None, kit.Coordinator.Fetch("g", [P0], out var offsets));
        Assert.Equal(42, Assert.Single(offsets).Offset!.Value.Offset);
    }

    [Fact]
    public async Task Resigning_drops_the_groups_without_writing_and_tells_waiting_members()
    {
        var kit = new GroupTestKit();
        var (leader, follower, generation) = await GroupMembershipTests.FormStableGroup(kit);
        kit.Coordinator.Commit("g", generation, leader, null, [new(P0, 7, -1, "")]);
        var newcomer = kit.Join();
        Assert.False(newcomer.IsCompleted);
        var written = kit.Store.Entries.Count;

        kit.Coordinator.Resign(0, 1);

        Assert.Equal((short)ErrorCode.NotCoordinator, (await newcomer.WaitAsync(TimeSpan.FromSeconds(30))).ErrorCode);
        Assert.Equal(written, kit.Store.Entries.Count);
        Assert.Equal(ErrorCode.NotCoordinator, kit.Coordinator.Heartbeat("g", generation, follower, null));
        Assert.Equal(ErrorCode.None, kit.Coordinator.List([], [], out var listed));
        Assert.Empty(listed);
        kit.Advance(TimeSpan.FromHours(2));
        Assert.Equal(written, kit.Store.Entries.Count);

        // Led again later: the state comes back from the log.
        await kit.Coordinator.BecomeLeaderAsync(0, 2);
        Assert.Equal(ErrorCode.None, kit.Coordinator.Fetch("g", [P0], out var offsets));
        Assert.Equal(7, Assert.Single(offsets).Offset!.Value.Offset);
    }

    [Fact]
    public async Task A_resign_during_the_load_cancels_it()
    {
        var seed = new GroupTestKit();
        seed.Coordinator.Commit("g", -1, "", null, [new(P0, 5, -1, "")]);
        using var gate = new ManualResetEventSlim();
        seed.Store.ReadGate = gate;
        var kit = new GroupTestKit(store: seed.Store, lead: false);
        var load = kit.Coordinator.BecomeLeaderAsync(0, 1);

        kit.Coordinator.Resign(0, 2);
        gate.Set();
        await load.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ErrorCode.NotCoordinator, kit.Coordinator.Fetch("g", [P0], out _));
        Assert.False(kit.Coordinator.TryGetGroup("g", out _));
    }

    [Fact]
    public async Task Leadership_events_older_than_the_latest_are_ignored()
    {
        var kit = new GroupTestKit(lead: false);
        await kit.Coordinator.BecomeLeaderAsync(0, 5);

        kit.Coordinator.Resign(0, 4);
        Assert.Equal(ErrorCode.None, kit.Coordinator.Fetch("g", [P0], out _));

        kit.Coordinator.Resign(0, 6);
        await kit.Coordinator.BecomeLeaderAsync(0, 5);
        Assert.Equal(ErrorCode.NotCoordinator, kit.Coordinator.Fetch("g", [P0], out _));

        await kit.Coordinator.BecomeLeaderAsync(0, 7);
        Assert.Equal(ErrorCode.None, kit.Coordinator.Fetch("g", [P0], out _));
    }

    [Fact]
    public async Task A_transaction_marker_written_while_the_partition_loads_reaches_its_offsets()
    {
        var seed = new GroupTestKit();
        seed.Coordinator.CommitTransactional("g", 9, 0, -1, "", null, [new(P0, 30, -1, "")]);
        using var gate = new ManualResetEventSlim();
        seed.Store.ReadGate = gate;
        var kit = new GroupTestKit(store: seed.Store, lead: false);
        var load = kit.Coordinator.BecomeLeaderAsync(0, 1);

        // The marker lands after the load has taken its view of the log.
        kit.Coordinator.CompleteTransaction(9, 0, commit: true);
        gate.Set();
        await load.WaitAsync(TimeSpan.FromSeconds(30));

        kit.Coordinator.Fetch("g", [P0], out var offsets);
        Assert.Equal(30, Assert.Single(offsets).Offset!.Value.Offset);
        Assert.Empty(kit.Coordinator.UnstablePartitions("g"));
    }
}
