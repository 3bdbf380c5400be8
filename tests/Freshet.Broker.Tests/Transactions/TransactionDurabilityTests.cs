using Freshet.Broker.Tests.Coordination;
using Freshet.Broker.Tests.Replication;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Tests.Transactions;

/// <summary>
/// A transactional id's next state counts once every in-sync replica of __transaction_state has it: the answer and
/// the markers wait for that, the id takes no other change meanwhile, and a write that fails changes nothing.
/// </summary>
public sealed class TransactionDurabilityTests
{
    private static readonly TopicPartition A = new("a", 0);

    [Fact]
    public async Task InitProducerId_answers_once_the_new_epoch_is_durable_and_refuses_other_changes_meanwhile()
    {
        var kit = new TransactionTestKit();
        var first = kit.Init();
        kit.Log.Replicas.Holding = true;

        var bump = kit.Coordinator.InitProducerIdAsync("tx", 10_000, -1, -1);

        Assert.False(bump.IsCompleted);
        Assert.Equal(first.ProducerEpoch, kit.Coordinator.Describe("tx")!.ProducerEpoch);
        Assert.Equal(ErrorCode.ConcurrentTransactions, await kit.Coordinator.AddPartitionsAsync("tx", first.ProducerId, first.ProducerEpoch, [A]));
        Assert.Equal(ErrorCode.ConcurrentTransactions, (await kit.Coordinator.InitProducerIdAsync("tx", 10_000, -1, -1)).Error);

        kit.Log.Replicas.Release();

        Assert.Equal(new ProducerIdAndEpoch(ErrorCode.None, first.ProducerId, (short)(first.ProducerEpoch + 1)), await bump.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(first.ProducerEpoch + 1, kit.Coordinator.Describe("tx")!.ProducerEpoch);
    }

    [Fact]
    public async Task EndTxn_sends_markers_only_once_the_decision_is_durable()
    {
        var kit = new TransactionTestKit();
        var producer = kit.Init();
        Assert.Equal(ErrorCode.None, kit.Coordinator.AddPartitions("tx", producer.ProducerId, producer.ProducerEpoch, [A]));
        kit.Log.Replicas.Holding = true;

        var end = kit.Coordinator.EndTransactionAsync("tx", producer.ProducerId, producer.ProducerEpoch, commit: true);

        Assert.False(end.IsCompleted);
        Assert.Equal(TransactionState.Ongoing, kit.State());
        Assert.Empty(kit.Markers.Written);

        kit.Log.Replicas.Release();

        Assert.Equal(ErrorCode.None, await end.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Single(kit.Markers.Written);
        // CompleteCommit is written after the markers and, held too, is not adopted yet.
        Assert.Equal(TransactionState.PrepareCommit, kit.State());
        await PartitionFixture.EventuallyAsync(() => kit.Log.Replicas.Count == 1, "CompleteCommit is written");
        kit.Log.Replicas.Release();
        await PartitionFixture.EventuallyAsync(() => kit.State() == TransactionState.CompleteCommit, "CompleteCommit is adopted");
    }

    [Fact]
    public async Task A_state_write_that_does_not_reach_the_replicas_leaves_the_transaction_unchanged()
    {
        var kit = new TransactionTestKit();
        var producer = kit.Init();
        kit.Log.Replicas.Holding = true;

        var add = kit.Coordinator.AddPartitionsAsync("tx", producer.ProducerId, producer.ProducerEpoch, [A]);
        kit.Log.Replicas.Release(ErrorCode.NotCoordinator);

        Assert.Equal(ErrorCode.NotCoordinator, await add.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(TransactionState.Empty, kit.State());
        Assert.Empty(kit.Coordinator.Describe("tx")!.Partitions);

        kit.Log.Replicas.Holding = false;
        Assert.Equal(ErrorCode.None, await kit.Coordinator.AddPartitionsAsync("tx", producer.ProducerId, producer.ProducerEpoch, [A]));
        Assert.Equal(TransactionState.Ongoing, kit.State());
    }

    [Fact]
    public async Task A_transactional_id_expires_only_once_its_tombstone_is_durable()
    {
        var kit = new TransactionTestKit();
        var first = kit.Init();
        kit.Log.Replicas.Holding = true;

        kit.Advance(kit.Options.TransactionalIdExpiration + kit.Options.RemoveExpiredInterval);

        Assert.Equal(1, kit.Log.Replicas.Count);
        Assert.Null(kit.Log.Entries[^1].Record.Value);
        Assert.Equal(TransactionState.Empty, kit.State());
        Assert.Equal(ErrorCode.ConcurrentTransactions, (await kit.Coordinator.InitProducerIdAsync("tx", 10_000, -1, -1)).Error);

        kit.Log.Replicas.Release();
        await PartitionFixture.EventuallyAsync(() => kit.Coordinator.Describe("tx") is null, "the expired id is forgotten");

        kit.Log.Replicas.Holding = false;
        Assert.NotEqual(first.ProducerId, kit.Init().ProducerId);
    }

    [Fact]
    public async Task A_transactional_id_whose_tombstone_fails_keeps_its_producer_id()
    {
        var kit = new TransactionTestKit();
        var first = kit.Init();
        kit.Log.Replicas.Holding = true;

        kit.Advance(kit.Options.TransactionalIdExpiration + kit.Options.RemoveExpiredInterval);
        kit.Log.Replicas.Release(ErrorCode.CoordinatorNotAvailable);
        kit.Log.Replicas.Holding = false;

        var next = kit.Init();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (next.Error == ErrorCode.ConcurrentTransactions && DateTime.UtcNow < deadline)
        {
            // The failed tombstone is still being dropped: the id takes no change until then.
            await Task.Delay(10);
            next = kit.Init();
        }

        Assert.Equal(new ProducerIdAndEpoch(ErrorCode.None, first.ProducerId, (short)(first.ProducerEpoch + 1)), next);
        Assert.Equal(TransactionState.Empty, kit.State());
    }
}
