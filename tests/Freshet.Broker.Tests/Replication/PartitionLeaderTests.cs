using Freshet.Broker.Replication;
using Freshet.Protocol.Messages;
using static Freshet.Broker.Tests.Replication.PartitionFixture;

namespace Freshet.Broker.Tests.Replication;

public sealed class PartitionLeaderTests
{
    [Fact]
    public void A_sole_replica_moves_the_high_watermark_with_every_append()
    {
        using var fixture = new PartitionFixture();
        fixture.Partition.MakeSoleLeader();

        var last = fixture.Append(3);

        Assert.Equal(2, last);
        Assert.Equal(3, fixture.Partition.Log.HighWatermark);
        Assert.True(fixture.Partition.NextHighWatermark.Status != TaskStatus.RanToCompletion);
    }

    [Fact]
    public void The_high_watermark_is_the_lowest_log_end_in_the_isr_and_never_moves_back()
    {
        using var fixture = new PartitionFixture();
        var partition = fixture.Partition;
        Assert.Equal(RoleChange.BecameLeader, partition.ApplyState(State(1, 5, 5, [1, 2, 3], [1, 2, 3])));
        fixture.Append(10);
        Assert.Equal(0, partition.Log.HighWatermark);

        Assert.True(partition.OnFollowerFetch(2, 10));
        Assert.Equal(0, partition.Log.HighWatermark);
        Assert.True(partition.OnFollowerFetch(3, 4));
        Assert.Equal(4, partition.Log.HighWatermark);
        Assert.True(partition.OnFollowerFetch(3, 10));
        Assert.Equal(10, partition.Log.HighWatermark);

        // A follower that went back (a fetch from an older offset) does not pull the high watermark back.
        partition.OnFollowerFetch(2, 3);
        Assert.Equal(10, partition.Log.HighWatermark);
        Assert.False(partition.OnFollowerFetch(9, 10));
        Assert.Empty(fixture.Channel.Calls);
    }

    [Fact]
    public async Task A_follower_that_lags_longer_than_replica_lag_time_max_leaves_the_isr()
    {
        using var fixture = new PartitionFixture();
        var partition = fixture.Partition;
        partition.ApplyState(State(1, 1, 1, [1, 2, 3], [1, 2, 3]));
        fixture.Append(5);
        partition.OnFollowerFetch(2, 5);
        partition.OnFollowerFetch(3, 5);
        Assert.Equal(5, partition.Log.HighWatermark);

        fixture.Time.Advance(TimeSpan.FromSeconds(20));
        fixture.Append(5);
        partition.OnFollowerFetch(2, 10);
        partition.MaybeShrinkIsr(30_000);
        Assert.Empty(fixture.Channel.Calls);

        // Broker 3 last caught up 31 s ago; broker 2 a moment ago.
        fixture.Time.Advance(TimeSpan.FromSeconds(11));
        partition.MaybeShrinkIsr(30_000);

        await EventuallyAsync(() => !partition.IsrChangeInFlight, "the controller's answer is applied");
        var call = Assert.Single(fixture.Channel.Calls);
        Assert.Equal([1, 2], call.Isr);
        Assert.Equal(1, call.PartitionEpoch);
        Assert.Equal([1, 2], partition.Isr);
        Assert.Equal(2, partition.PartitionEpoch);
        // Without broker 3 the high watermark follows broker 2.
        Assert.Equal(10, partition.Log.HighWatermark);
    }

    [Fact]
    public async Task A_follower_back_at_the_high_watermark_rejoins_and_counts_for_it_while_the_change_is_in_flight()
    {
        using var fixture = new PartitionFixture();
        var partition = fixture.Partition;
        partition.ApplyState(State(1, 1, 1, [1, 2, 3], [1, 2]));
        fixture.Append(4);
        partition.OnFollowerFetch(2, 4);
        Assert.Equal(4, partition.Log.HighWatermark);

        partition.OnFollowerFetch(3, 2);
        Assert.Empty(fixture.Channel.Calls);

        fixture.Channel.HoldNext = true;
        partition.OnFollowerFetch(3, 4);
        await EventuallyAsync(() => fixture.Channel.Calls.Count == 1, "the expansion is sent");
        Assert.Equal([1, 2, 3], fixture.Channel.Calls[0].Isr);
        Assert.True(partition.IsrChangeInFlight);
        Assert.Equal([1, 2, 3], partition.MaximalIsr);
        Assert.Equal([1, 2], partition.Isr);

        // While the change is in flight the high watermark waits for broker 3 too, and no second change is sent.
        fixture.Append(2);
        partition.OnFollowerFetch(2, 6);
        Assert.Equal(4, partition.Log.HighWatermark);
        fixture.Time.Advance(TimeSpan.FromSeconds(60));
        partition.MaybeShrinkIsr(30_000);
        Assert.Single(fixture.Channel.Calls);

        fixture.Channel.Release();
        await EventuallyAsync(() => !partition.IsrChangeInFlight, "the expansion is committed");
        Assert.Equal([1, 2, 3], partition.Isr);
        partition.OnFollowerFetch(3, 6);
        Assert.Equal(6, partition.Log.HighWatermark);
    }

    [Fact]
    public void A_follower_must_reach_the_start_of_the_leader_epoch_to_rejoin()
    {
        using var fixture = new PartitionFixture();
        var partition = fixture.Partition;
        partition.MakeSoleLeader();
        fixture.Append(6);
        partition.ApplyState(State(1, 2, 2, [1, 2], [1]));
        Assert.Equal(6, partition.LeaderEpochStartOffset);

        partition.OnFollowerFetch(2, 5);
        Assert.Empty(fixture.Channel.Calls);
    }

    [Fact]
    public void States_older_than_the_partition_are_ignored_and_resigning_is_reported()
    {
        using var fixture = new PartitionFixture();
        var partition = fixture.Partition;
        Assert.Equal(RoleChange.BecameLeader, partition.ApplyState(State(1, 3, 7, [1, 2], [1, 2])));
        Assert.Equal(RoleChange.Stale, partition.ApplyState(State(2, 2, 9, [1, 2], [1, 2])));
        Assert.Equal(RoleChange.Stale, partition.ApplyState(State(1, 3, 6, [1, 2], [1, 2])));
        Assert.Equal(RoleChange.Unchanged, partition.ApplyState(State(1, 3, 8, [1, 2], [1])));
        Assert.Equal([1], partition.Isr);

        Assert.Equal(RoleChange.Resigned, partition.ApplyState(State(2, 4, 9, [1, 2], [2])));
        Assert.False(partition.IsLeader);
        Assert.Equal(2, partition.LeaderId);
        Assert.Throws<NotLeaderOrFollowerException>(() => fixture.Append(1));
        Assert.Equal(RoleChange.FollowsNewLeader, partition.ApplyState(State(2, 5, 10, [1, 2], [2])));
    }

    [Theory]
    [InlineData(-1, true, ErrorCode.None)]
    [InlineData(4, true, ErrorCode.None)]
    [InlineData(3, true, ErrorCode.FencedLeaderEpoch)]
    [InlineData(5, true, ErrorCode.UnknownLeaderEpoch)]
    [InlineData(4, false, ErrorCode.None)]
    public void The_current_leader_epoch_of_a_request_is_checked(int currentLeaderEpoch, bool leader, ErrorCode expected)
    {
        using var fixture = new PartitionFixture();
        fixture.Partition.ApplyState(State(leader ? 1 : 2, 4, 1, [1, 2], [1, 2]));

        Assert.Equal(expected, fixture.Partition.CheckLeaderEpoch(currentLeaderEpoch, requireLeader: false));
        Assert.Equal(leader || expected != ErrorCode.None ? expected : ErrorCode.NotLeaderOrFollower, fixture.Partition.CheckLeaderEpoch(currentLeaderEpoch, requireLeader: true));
    }

    [Fact]
    public async Task Acks_all_waits_for_the_high_watermark_and_fails_after_append_when_the_isr_shrank()
    {
        using var fixture = new PartitionFixture();
        var partition = fixture.Partition;
        partition.MinInSyncReplicas = 2;
        partition.ApplyState(State(1, 1, 1, [1, 2, 3], [1, 2, 3]));
        var last = fixture.Append(1);

        var wait = partition.WaitForHighWatermarkAsync(last + 1, CancellationToken.None).AsTask();
        partition.OnFollowerFetch(2, 1);
        Assert.False(wait.IsCompleted);
        partition.OnFollowerFetch(3, 1);
        Assert.Equal(ErrorCode.None, await wait.WaitAsync(TimeSpan.FromSeconds(10)));

        last = fixture.Append(1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => partition.WaitForHighWatermarkAsync(last + 1, timeout.Token).AsTask());

        // Brokers 2 and 3 stop fetching; the ISR shrinks to the leader alone, which lets the high watermark move,
        // but below min.insync.replicas the write is not acknowledged as replicated.
        wait = partition.WaitForHighWatermarkAsync(last + 1, CancellationToken.None).AsTask();
        fixture.Time.Advance(TimeSpan.FromSeconds(31));
        partition.MaybeShrinkIsr(30_000);
        Assert.Equal(ErrorCode.NotEnoughReplicasAfterAppend, await wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([1], partition.Isr);
    }
}
