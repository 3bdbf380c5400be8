using Freshet.Metadata.Controller;
using Freshet.Metadata.Image;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Tests.Controller;

public class BrokerLifecycleTests
{
    [Fact]
    public async Task A_registered_broker_starts_fenced_and_is_unfenced_once_it_has_applied_its_registration()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();

        var epoch = await cluster.RegisterAsync(1, rack: "r1");
        Assert.True(epoch > 0);
        Assert.True(active.Image.Brokers[1].Fenced);
        Assert.Equal(epoch, active.Image.Brokers[1].Epoch);
        Assert.Equal("r1", active.Image.Brokers[1].Rack);

        var behind = await active.HeartbeatAsync(new BrokerHeartbeat(1, epoch, CurrentMetadataOffset: epoch - 1));
        Assert.Equal(ErrorCode.None, behind.Error);
        Assert.False(behind.IsCaughtUp);
        Assert.True(behind.IsFenced);

        var caughtUp = await active.HeartbeatAsync(new BrokerHeartbeat(1, epoch, active.Image.Offset));
        Assert.True(caughtUp.IsCaughtUp);
        Assert.False(caughtUp.IsFenced);
        Assert.False(active.Image.Brokers[1].Fenced);
    }

    [Fact]
    public async Task Heartbeats_with_an_old_epoch_or_an_unknown_id_are_refused()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        var incarnation = KafkaUuid.NewRandom();
        var first = await cluster.RegisterAsync(1, incarnation: incarnation);
        var second = await cluster.RegisterAsync(1, incarnation: incarnation);

        Assert.True(second > first);
        Assert.Equal(ErrorCode.StaleBrokerEpoch, (await active.HeartbeatAsync(new BrokerHeartbeat(1, first, active.Image.Offset))).Error);
        Assert.Equal(ErrorCode.BrokerIdNotRegistered, (await active.HeartbeatAsync(new BrokerHeartbeat(7, first, active.Image.Offset))).Error);
    }

    [Fact]
    public async Task A_new_incarnation_is_a_duplicate_while_the_old_one_heartbeats_and_replaces_it_once_its_session_expired()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2]]));
        var oldEpoch = cluster.Epochs[1];
        var spec = new BrokerRegistrationSpec(1, KafkaUuid.NewRandom(), [new BrokerEndpoint("PLAINTEXT", "localhost", 9001, 0)], null);

        var refused = await active.RegisterBrokerAsync(spec);
        Assert.Equal(ErrorCode.DuplicateBrokerRegistration, refused.Error);

        cluster.Clock.Advance(TimeSpan.FromMilliseconds(ControllerCluster.SessionTimeoutMs + 1));
        var accepted = await active.RegisterBrokerAsync(spec);

        Assert.Equal(ErrorCode.None, accepted.Error);
        Assert.True(accepted.BrokerEpoch > oldEpoch);
        var broker = active.Image.Brokers[1];
        Assert.Equal(spec.IncarnationId, broker.IncarnationId);
        Assert.True(broker.Fenced);
        // The restarted broker's old leadership and ISR place went with its old incarnation.
        var partition = active.Image.Partition("t", 0)!;
        Assert.Equal(2, partition.Leader);
        Assert.Equal([2], partition.Isr.ToArray());
    }

    [Fact]
    public async Task A_broker_that_misses_heartbeats_is_fenced_loses_its_isr_places_and_its_leaderships_move()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2, 3);
        Assert.Equal(ErrorCode.None, (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2, 3], [2, 3, 1]]))).Error);
        Assert.Equal(ErrorCode.None, (await active.CreateTopicAsync(new CreateTopicSpec("solo", 0, 0, Assignments: [[1]]))).Error);

        cluster.Clock.Advance(TimeSpan.FromMilliseconds(ControllerCluster.SessionTimeoutMs - 1));
        await cluster.HeartbeatAsync(2);
        await cluster.HeartbeatAsync(3);
        cluster.Clock.Advance(TimeSpan.FromMilliseconds(2));
        await active.FenceExpiredBrokersAsync(CancellationToken.None);

        var image = active.Image;
        Assert.True(image.Brokers[1].Fenced);
        Assert.False(image.Brokers[2].Fenced);
        var led = image.Partition("t", 0)!;
        Assert.Equal(2, led.Leader);
        Assert.Equal([2, 3], led.Isr.ToArray());
        Assert.Equal(1, led.LeaderEpoch);
        Assert.Equal(1, led.PartitionEpoch);
        var followed = image.Partition("t", 1)!;
        Assert.Equal(2, followed.Leader);
        Assert.Equal(0, followed.LeaderEpoch);
        Assert.Equal([2, 3], followed.Isr.ToArray());
        // Its only replica gone, the partition is leaderless but remembers who was in sync.
        var alone = image.Partition("solo", 0)!;
        Assert.Equal(PartitionImage.NoLeader, alone.Leader);
        Assert.Equal([1], alone.Isr.ToArray());

        // When the broker comes back it is unfenced and leads the partition that waited for it.
        var back = await cluster.HeartbeatAsync(1);
        Assert.False(back.IsFenced);
        Assert.Equal(1, active.Image.Partition("solo", 0)!.Leader);
        Assert.Equal(2, active.Image.Partition("t", 0)!.Leader);
    }

    [Fact]
    public async Task The_session_timer_fences_a_silent_broker_on_its_own()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1, _ => new QuorumControllerOptions
        {
            // Long enough that the heartbeating broker outlives any pause of a loaded test machine.
            BrokerSessionTimeoutMs = 6000,
            SessionCheckIntervalMs = 50,
            LeaderImbalanceCheckIntervalMs = 3_600_000,
        });
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2]]));

        // Broker 2 keeps heartbeating; broker 1 falls silent.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!active.Image.Brokers[1].Fenced)
        {
            Assert.True(DateTime.UtcNow < deadline, "Broker 1 was not fenced in time.");
            Assert.Equal(ErrorCode.None, (await cluster.HeartbeatAsync(2)).Error);
            await Task.Delay(100);
        }

        Assert.False(active.Image.Brokers[2].Fenced);
        Assert.Equal(2, active.Image.Partition("t", 0)!.Leader);
    }

    [Fact]
    public async Task Without_a_fixed_check_period_the_timer_fences_a_silent_broker_once_its_session_expires()
    {
        // Long enough that the heartbeating broker outlives any pause of a loaded test machine.
        const int SessionMs = 4000;
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1, _ => new QuorumControllerOptions
        {
            BrokerSessionTimeoutMs = SessionMs,
            BrokerHeartbeatIntervalMs = 100,
            LeaderImbalanceCheckIntervalMs = 3_600_000,
        });
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2]]));

        // Broker 1 falls silent after this heartbeat; broker 2 keeps heartbeating. The watch starts before the
        // heartbeat reaches the controller, so it never shows less than the broker's real silence.
        var silentSince = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(ErrorCode.None, (await cluster.HeartbeatAsync(1)).Error);
        var deadline = TimeSpan.FromSeconds(20);
        while (!active.Image.Brokers[1].Fenced)
        {
            Assert.True(silentSince.Elapsed < deadline, "Broker 1 was not fenced in time.");
            Assert.Equal(ErrorCode.None, (await cluster.HeartbeatAsync(2)).Error);
            await Task.Delay(20);
        }

        // Never before its session timeout, however fast or slow the machine.
        Assert.True(silentSince.ElapsedMilliseconds >= SessionMs, $"Fenced after {silentSince.ElapsedMilliseconds} ms.");
        Assert.False(active.Image.Brokers[2].Fenced);
        Assert.Equal(2, active.Image.Partition("t", 0)!.Leader);
    }

    [Fact]
    public async Task Controlled_shutdown_moves_leadership_away_and_lets_the_broker_stop_once_it_has_seen_that()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2, 3);
        Assert.Equal(ErrorCode.None, (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2, 3], [2, 1, 3]]))).Error);
        Assert.Equal(ErrorCode.None, (await active.CreateTopicAsync(new CreateTopicSpec("solo", 0, 0, Assignments: [[1]]))).Error);
        var epoch = cluster.Epochs[1];
        var offsetBefore = active.Image.Offset;

        // The broker has not yet applied the records that moved its leaderships: it must wait.
        var first = await active.HeartbeatAsync(new BrokerHeartbeat(1, epoch, offsetBefore, WantShutDown: true));
        Assert.Equal(ErrorCode.None, first.Error);
        Assert.False(first.ShouldShutDown);
        Assert.True(first.InControlledShutdown);
        var image = active.Image;
        Assert.Equal(2, image.Partition("t", 0)!.Leader);
        Assert.Equal([2, 3], image.Partition("t", 0)!.Isr.ToArray());
        Assert.Equal([2, 3], image.Partition("t", 1)!.Isr.ToArray());
        Assert.Equal(PartitionImage.NoLeader, image.Partition("solo", 0)!.Leader);
        Assert.Equal([1], image.Partition("solo", 0)!.Isr.ToArray());

        var second = await active.HeartbeatAsync(new BrokerHeartbeat(1, epoch, active.Image.Offset, WantShutDown: true));
        Assert.True(second.ShouldShutDown);
        Assert.True(second.IsFenced);
        Assert.True(active.Image.Brokers[1].Fenced);

        // A broker shutting down is never chosen as a leader.
        var elect = await active.ElectLeadersAsync(ElectionType.Preferred, [new TopicPartitionName("t", 0)]);
        Assert.Equal(ErrorCode.PreferredLeaderNotAvailable, elect.Partitions[0].Error);
    }

    [Fact]
    public async Task Unregistering_a_broker_removes_it_and_moves_its_leaderships()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2]]));

        Assert.Equal(ErrorCode.None, (await active.UnregisterBrokerAsync(1)).Error);
        Assert.Equal(ErrorCode.BrokerIdNotRegistered, (await active.UnregisterBrokerAsync(1)).Error);

        Assert.False(active.Image.Brokers.ContainsKey(1));
        Assert.Equal(2, active.Image.Partition("t", 0)!.Leader);
        Assert.Equal([2], active.Image.Partition("t", 0)!.Isr.ToArray());
    }

    [Fact]
    public async Task The_broker_of_a_lone_combined_node_is_registered_unfenced_and_leads_its_partitions_again_in_the_same_entry()
    {
        // Node 1 is the only voter and also broker 1; broker 2 is a broker-only node following it.
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1, clock => new QuorumControllerOptions
        {
            Time = clock,
            Random = new Random(42),
            BrokerSessionTimeoutMs = ControllerCluster.SessionTimeoutMs,
            SessionCheckIntervalMs = 3_600_000,
            LeaderImbalanceCheckIntervalMs = 3_600_000,
            CoLocatedBrokerId = 1,
        });
        var active = await cluster.ActiveAsync();

        var epoch = await cluster.RegisterAsync(1);
        Assert.False(active.Image.Brokers[1].Fenced);
        Assert.Equal(epoch, active.Image.Offset);

        // Any other broker still waits until its heartbeat shows it has caught up.
        await cluster.RegisterAsync(2);
        Assert.True(active.Image.Brokers[2].Fenced);

        Assert.Equal(ErrorCode.None, (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1]]))).Error);
        var before = active.Image.Partition("t", 0)!;
        Assert.Equal(1, before.Leader);

        // A restart: a new incarnation once the old one's session expired. Its old leadership is taken away and given
        // back by the one entry that registers it, so no later entry is needed before it serves the partition.
        cluster.Clock.Advance(TimeSpan.FromMilliseconds(ControllerCluster.SessionTimeoutMs + 1));
        var restartEpoch = await cluster.RegisterAsync(1);

        Assert.Equal(restartEpoch, active.Image.Offset);
        Assert.False(active.Image.Brokers[1].Fenced);
        var after = active.Image.Partition("t", 0)!;
        Assert.Equal(1, after.Leader);
        Assert.Equal([1], after.Isr.ToArray());
        Assert.True(after.LeaderEpoch > before.LeaderEpoch);
        var heartbeat = await cluster.HeartbeatAsync(1);
        Assert.False(heartbeat.IsFenced);
        Assert.Equal(restartEpoch, active.Image.Offset);
    }
}
