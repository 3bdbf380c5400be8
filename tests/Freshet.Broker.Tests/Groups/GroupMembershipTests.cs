using Freshet.Broker.Groups;
using Freshet.Protocol.Messages;
using static Freshet.Broker.Tests.Groups.GroupTestKit;

namespace Freshet.Broker.Tests.Groups;

/// <summary>The classic group state machine: joins, generations, leader and followers, timeouts and fencing.</summary>
public sealed class GroupMembershipTests
{
    [Fact]
    public async Task First_join_from_v4_gets_a_member_id_then_a_single_member_group_forms()
    {
        var kit = new GroupTestKit();
        var first = await kit.Join(requireKnownMemberId: true);
        Assert.Equal((short)ErrorCode.MemberIdRequired, first.ErrorCode);
        Assert.StartsWith("client-", first.MemberId);

        var joined = await kit.Join(first.MemberId, requireKnownMemberId: true);

        Assert.Equal((short)ErrorCode.None, joined.ErrorCode);
        Assert.Equal(1, joined.GenerationId);
        Assert.Equal(first.MemberId, joined.Leader);
        Assert.Equal("range", joined.ProtocolName);
        Assert.Single(joined.Members);
        Assert.Equal(GroupState.CompletingRebalance, kit.State());
    }

    [Fact]
    public async Task Leader_assignment_reaches_every_member_in_SyncGroup()
    {
        var kit = new GroupTestKit();
        var (leader, follower, generation) = await FormTwoMemberGroup(kit);

        var followerSync = kit.Sync(follower, generation);
        Assert.False(followerSync.IsCompleted);
        var leaderSync = await kit.Sync(leader, generation, new() { [leader] = new byte[] { 1 }, [follower] = new byte[] { 2 } });

        Assert.Equal(new byte[] { 1 }, leaderSync.Assignment.ToArray());
        Assert.Equal(new byte[] { 2 }, (await followerSync).Assignment.ToArray());
        Assert.Equal(GroupState.Stable, kit.State());
        Assert.Equal(ErrorCode.None, kit.Coordinator.Heartbeat("g", generation, follower, null));
    }

    [Fact]
    public async Task New_group_waits_for_the_initial_rebalance_delay()
    {
        var kit = new GroupTestKit(initialDelay: TimeSpan.FromSeconds(3));
        var join = kit.Join();
        kit.Advance(TimeSpan.FromSeconds(2));
        Assert.False(join.IsCompleted);

        kit.Advance(TimeSpan.FromSeconds(1.5));

        Assert.Equal((short)ErrorCode.None, (await join).ErrorCode);
    }

    [Fact]
    public async Task A_join_during_the_initial_delay_extends_it()
    {
        var kit = new GroupTestKit(initialDelay: TimeSpan.FromSeconds(3));
        var first = kit.Join();
        kit.Advance(TimeSpan.FromSeconds(2));
        var second = kit.Join();
        kit.Advance(TimeSpan.FromSeconds(1.5));
        Assert.False(first.IsCompleted);

        kit.Advance(TimeSpan.FromSeconds(3.5));

        Assert.Equal(2, (await first).Members.Count + (await second).Members.Count);
    }

    [Fact]
    public async Task A_new_member_makes_the_stable_group_rebalance_and_heartbeats_say_so()
    {
        var kit = new GroupTestKit();
        var (leader, follower, generation) = await FormStableGroup(kit);

        var newcomer = kit.Join();
        Assert.Equal(ErrorCode.RebalanceInProgress, kit.Coordinator.Heartbeat("g", generation, leader, null));
        var leaderRejoin = kit.Join(leader);
        Assert.False(newcomer.IsCompleted);
        var followerRejoin = kit.Join(follower);

        Assert.Equal(generation + 1, (await newcomer).GenerationId);
        Assert.Equal(3, (await leaderRejoin).Members.Count);
        Assert.Empty((await followerRejoin).Members);
    }

    [Fact]
    public async Task A_member_that_stops_heartbeating_is_removed_after_its_session_timeout()
    {
        var kit = new GroupTestKit();
        var (leader, follower, generation) = await FormStableGroup(kit);

        kit.Advance(TimeSpan.FromMilliseconds(SessionMs / 2));
        Assert.Equal(ErrorCode.None, kit.Coordinator.Heartbeat("g", generation, leader, null));
        kit.Advance(TimeSpan.FromMilliseconds(SessionMs / 2 + 1));

        Assert.Equal(GroupState.PreparingRebalance, kit.State());
        Assert.Equal(ErrorCode.UnknownMemberId, kit.Coordinator.Heartbeat("g", generation, follower, null));
        var rejoin = await kit.Join(leader);
        Assert.Equal(generation + 1, rejoin.GenerationId);
        Assert.Single(rejoin.Members);
    }

    [Fact]
    public async Task Members_that_do_not_rejoin_within_the_rebalance_timeout_are_dropped()
    {
        var kit = new GroupTestKit();
        var (leader, follower, generation) = await FormStableGroup(kit);
        var newcomer = kit.Join();
        var leaderRejoin = kit.Join(leader);

        for (var elapsed = 0; elapsed < RebalanceMs; elapsed += 1000)
        {
            // The follower keeps heartbeating but never rejoins.
            kit.Coordinator.Heartbeat("g", generation, follower, null);
            kit.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(2, (await leaderRejoin).Members.Count);
        Assert.Equal((short)ErrorCode.None, (await newcomer).ErrorCode);
        Assert.Equal(ErrorCode.UnknownMemberId, kit.Coordinator.Heartbeat("g", generation + 1, follower, null));
    }

    [Fact]
    public async Task Leaving_members_trigger_a_rebalance_and_the_last_one_empties_the_group()
    {
        var kit = new GroupTestKit();
        var (leader, follower, _) = await FormStableGroup(kit);

        var errors = kit.Coordinator.Leave("g", [new(follower, null), new("nobody", null)]);
        Assert.Equal([ErrorCode.None, ErrorCode.UnknownMemberId], errors);
        Assert.Equal(GroupState.PreparingRebalance, kit.State());
        kit.Coordinator.Leave("g", [new(leader, null)]);

        Assert.Equal(GroupState.Empty, kit.State());
    }

    [Fact]
    public async Task Errors_for_bad_session_timeouts_protocols_generations_and_members()
    {
        var kit = new GroupTestKit(maxSize: 2);
        Assert.Equal((short)ErrorCode.InvalidSessionTimeout, (await kit.Join(sessionMs: 1000)).ErrorCode);
        var (leader, _, generation) = await FormStableGroup(kit);

        Assert.Equal((short)ErrorCode.InconsistentGroupProtocol, (await kit.Join(protocols: [Proto("roundrobin")])).ErrorCode);
        Assert.Equal((short)ErrorCode.InconsistentGroupProtocol, (await kit.Join(protocolType: "connect")).ErrorCode);
        Assert.Equal((short)ErrorCode.GroupMaxSizeReached, (await kit.Join()).ErrorCode);
        Assert.Equal(ErrorCode.IllegalGeneration, kit.Coordinator.Heartbeat("g", generation + 5, leader, null));
        Assert.Equal(ErrorCode.UnknownMemberId, kit.Coordinator.Heartbeat("g", generation, "ghost", null));
        Assert.Equal((short)ErrorCode.IllegalGeneration, (await kit.Sync(leader, generation - 1)).ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownMemberId, (await kit.Join("ghost")).ErrorCode);
    }

    [Fact]
    public async Task The_protocol_is_chosen_by_vote_among_those_every_member_supports()
    {
        var kit = new GroupTestKit();
        var a = kit.Join(protocols: [Proto("range"), Proto("roundrobin"), Proto("sticky")]);
        var b = kit.Join(protocols: [Proto("roundrobin"), Proto("range")]);
        var c = kit.Join(protocols: [Proto("sticky"), Proto("roundrobin"), Proto("range")]);

        // With no initial delay the first join completed alone; the others wait until it rejoins.
        var first = await a;
        var leaderRejoin = kit.Join(first.MemberId, protocols: [Proto("range"), Proto("roundrobin"), Proto("sticky")]);
        var second = b;
        var third = c;

        Assert.Equal("roundrobin", (await leaderRejoin).ProtocolName);
        Assert.Equal("roundrobin", (await second).ProtocolName);
        Assert.Equal("roundrobin", (await third).ProtocolName);
    }

    [Fact]
    public async Task A_static_member_rejoining_a_stable_group_takes_its_place_without_a_rebalance()
    {
        var kit = new GroupTestKit();
        var (_, follower, generation) = await FormStableStaticGroup(kit);

        var restarted = await kit.Join(instanceId: "b");

        Assert.Equal((short)ErrorCode.None, restarted.ErrorCode);
        Assert.Equal(generation, restarted.GenerationId);
        Assert.NotEqual(follower, restarted.MemberId);
        Assert.Equal(GroupState.Stable, kit.State());
        Assert.Equal(new byte[] { 2 }, (await kit.Sync(restarted.MemberId, generation, instanceId: "b")).Assignment.ToArray());
        Assert.Equal(ErrorCode.FencedInstanceId, kit.Coordinator.Heartbeat("g", generation, follower, "b"));
    }

    /// <summary>A Stable group of static members "a" (the leader, assigned 1) and "b" (assigned 2).</summary>
    internal static async Task<(string Leader, string Follower, int Generation)> FormStableStaticGroup(GroupTestKit kit)
    {
        var leader = await kit.Join(instanceId: "a");
        var follower = kit.Join(instanceId: "b");
        var leaderRejoin = await kit.Join(leader.MemberId, instanceId: "a");
        var followerJoined = await follower;
        var generation = leaderRejoin.GenerationId;
        var followerSync = kit.Sync(followerJoined.MemberId, generation, instanceId: "b");
        await kit.Sync(leader.MemberId, generation, new() { [leader.MemberId] = new byte[] { 1 }, [followerJoined.MemberId] = new byte[] { 2 } }, instanceId: "a");
        await followerSync;
        return (leader.MemberId, followerJoined.MemberId, generation);
    }

    internal static async Task<(string Leader, string Follower, int Generation)> FormTwoMemberGroup(GroupTestKit kit)
    {
        var leader = await kit.Join();
        var follower = kit.Join();
        var leaderRejoin = await kit.Join(leader.MemberId);
        var joined = await follower;
        Assert.Equal(leaderRejoin.GenerationId, joined.GenerationId);
        Assert.Equal(leader.MemberId, joined.Leader);
        return (leader.MemberId, joined.MemberId, joined.GenerationId);
    }

    internal static async Task<(string Leader, string Follower, int Generation)> FormStableGroup(GroupTestKit kit)
    {
        var (leader, follower, generation) = await FormTwoMemberGroup(kit);
        var followerSync = kit.Sync(follower, generation);
        await kit.Sync(leader, generation, new() { [leader] = new byte[] { 1 }, [follower] = new byte[] { 2 } });
        await followerSync;
        return (leader, follower, generation);
    }
}
