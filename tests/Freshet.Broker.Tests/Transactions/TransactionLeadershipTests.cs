using Freshet.Broker.Tests.Coordination;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Tests.Transactions;

/// <summary>
/// The transaction coordinator follows the leadership of its __transaction_state partition: the leader epoch is its
/// coordinator epoch, loads happen in the background, a resign drops everything and stops marker sends.
/// </summary>
public sealed class TransactionLeadershipTests
{
    private static readonly TopicPartition A = new("a", 0);
    private static readonly TopicPartition B = new("b", 1);

    [Fact]
    public async Task Markers_carry_the_leader_epoch_of_the_ids_partition_as_coordinator_epoch()
    {
        var kit = new TransactionTestKit(lead: false);
        Assert.Equal(ErrorCode.NotCoordinator, kit.Init().Error);
        await kit.Coordinator.BecomeLeaderAsync(0, 7);
        var producer = kit.Init();
        kit.Coordinator.AddPartitions("tx", producer.ProducerId, producer.ProducerEpoch, [A]);

        Assert.Equal(ErrorCode.None, kit.Coordinator.EndTransaction("tx", producer.ProducerId, producer.ProducerEpoch, commit: true));

        Assert.Equal((A, producer.ProducerId, producer.ProducerEpoch, 7, true), Assert.Single(kit.Markers.Written));
        Assert.Equal(TransactionState.CompleteCommit, kit.State());
    }

    [Fact]
    public async Task A_new_leader_finishes_a_decided_transaction_with_its_own_epoch()
    {
        var deposed = new TransactionTestKit();
        var producer = deposed.Init();
        deposed.Coordinator.AddPartitions("tx", producer.ProducerId, producer.ProducerEpoch, [A, B]);
        deposed.Markers.Failing[A] = ErrorCode.NotLeaderOrFollower;
        deposed.Markers.Failing[B] = ErrorCode.NotLeaderOrFollower;
        deposed.Coordinator.EndTransaction("tx", producer.ProducerId, producer.ProducerEpoch, commit: false);
        deposed.Coordinator.Resign(0, 3);

        var successor = new TransactionTestKit(deposed.Log, lead: false);
        await successor.Coordinator.BecomeLeaderAsync(0, 3);

        Assert.Equal(TransactionState.CompleteAbort, successor.State());
        Assert.All(successor.Markers.Written, m => Assert.Equal(3, m.CoordinatorEpoch));
        Assert.Equal([A, B], successor.Markers.Written.Select(m => m.Partition).OrderBy(p => p.Topic, StringComparer.Ordinal));
    }

    [Fact]
    public async Task While_the_partition_loads_requests_get_COORDINATOR_LOAD_IN_PROGRESS()
    {
        var seed = new TransactionTestKit();
        var producer = seed.Init();
        using var gate = new ManualResetEventSlim();
        seed.Log.ReadGate = gate;
        var kit = new TransactionTestKit(seed.Log, lead: false);

        var load = kit.Coordinator.BecomeLeaderAsync(0, 1);

        Assert.Equal(ErrorCode.CoordinatorLoadInProgress, kit.Init().Error);
        Assert.Equal(ErrorCode.CoordinatorLoadInProgress, kit.Coordinator.AddPartitions("tx", producer.ProducerId, producer.ProducerEpoch, [A]));
        Assert.True(kit.Coordinator.AnyLoading);
        gate.Set();
        await load.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ErrorCode.None, kit.Coordinator.AddPartitions("tx", producer.ProducerId, producer.ProducerEpoch, [A]));
    }

    [Fact]
    public async Task Resigning_drops_the_ids_writes_nothing_and_a_resign_during_the_load_cancels_it()
    {
        var kit = new TransactionTestKit();
        var producer = kit.Init();
        kit.Coordinator.AddPartitions("tx", producer.ProducerId, producer.ProducerEpoch, [A]);
        var written = kit.Log.Entries.Count;

        kit.Coordinator.Resign(0, 1);
        kit.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(written, kit.Log.Entries.Count);
        Assert.Empty(kit.Markers.Written);
        Assert.Equal(ErrorCode.NotCoordinator, kit.Coordinator.EndTransaction("tx", producer.ProducerId, producer.ProducerEpoch, commit: true));
        Assert.Null(kit.Coordinator.Describe("tx"));

        using var gate = new ManualResetEventSlim();
        kit.Log.ReadGate = gate;
        var load = kit.Coordinator.BecomeLeaderAsync(0, 2);
        kit.Coordinator.Resign(0, 2);
        gate.Set();
        await load.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ErrorCode.NotCoordinator, kit.Coordinator.CoordinatorStatus("tx"));
        Assert.Null(kit.Coordinator.Describe("tx"));
    }

    [Fact]
    public async Task A_transaction_completes_only_when_its_remote_markers_are_acknowledged_and_a_resign_stops_them()
    {
        var remote = new PendingMarkerWriter();
        var kit = new TransactionTestKit(markers: remote);
        var producer = kit.Init();
        kit.Coordinator.AddPartitions("tx", producer.ProducerId, producer.ProducerEpoch, [A, B]);

        Assert.Equal(ErrorCode.None, kit.Coordinator.EndTransaction("tx", producer.ProducerId, producer.ProducerEpoch, commit: true));
        Assert.Equal(2, remote.Sends.Count);
        kit.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, remote.Sends.Count);
        remote.Sends[A].SetResult(ErrorCode.None);
        Assert.Equal(TransactionState.PrepareCommit, kit.State());
        remote.Sends[B].SetResult(ErrorCode.None);
        await WaitFor(() => kit.State() == TransactionState.CompleteCommit);

        var next = kit.Coordinator.AddPartitions("tx", producer.ProducerId, producer.ProducerEpoch, [A]);
        Assert.Equal(ErrorCode.None, next);
        remote.Sends.Clear();
        kit.Coordinator.EndTransaction("tx", producer.ProducerId, producer.ProducerEpoch, commit: false);
        var written = kit.Log.Entries.Count;
        kit.Coordinator.Resign(0, 1);
        Assert.True(remote.Cancellations[A].IsCancellationRequested);
        remote.Sends[A].SetResult(ErrorCode.None);
        await Task.Delay(50);
        Assert.Equal(written, kit.Log.Entries.Count);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in 30 s");
            await Task.Delay(10);
        }
    }

    /// <summary>Markers to another broker: each send stays pending until the test answers it.</summary>
    private sealed class PendingMarkerWriter : ITxnMarkerWriter
    {
        public Dictionary<TopicPartition, TaskCompletionSource<ErrorCode>> Sends { get; } = [];

        public Dictionary<TopicPartition, CancellationToken> Cancellations { get; } = [];

        public ValueTask<ErrorCode> WriteAsync(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch, bool commit, CancellationToken cancellation)
        {
            var send = new TaskCompletionSource<ErrorCode>(TaskCreationOptions.RunContinuationsAsynchronously);
            Sends[partition] = send;
            Cancellations[partition] = cancellation;
            return new ValueTask<ErrorCode>(send.Task);
        }
    }
}
