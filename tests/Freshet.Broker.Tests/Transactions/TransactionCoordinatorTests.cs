using Freshet.Broker.Tests.Coordination;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Tests.Transactions;

/// <summary>The coordinator's state machine: producer ids and epochs, fencing, ends, markers, timeouts, reload.</summary>
public sealed class TransactionCoordinatorTests
{
    private static readonly TopicPartition A = new("a", 0);
    private static readonly TopicPartition B = new("b", 1);

    [Fact]
    public void InitProducerId_gives_a_new_id_at_epoch_0_then_bumps_the_epoch_each_time()
    {
        var kit = new TransactionTestKit();

        var first = kit.Init();
        var second = kit.Init();
        var other = kit.Init("other");

        Assert.Equal(new ProducerIdAndEpoch(ErrorCode.None, 1000, 0), first);
        Assert.Equal(new ProducerIdAndEpoch(ErrorCode.None, 1000, 1), second);
        Assert.Equal(new ProducerIdAndEpoch(ErrorCode.None, 1001, 0), other);
        Assert.Equal(TransactionState.Empty, kit.State());
    }

    [Fact]
    public void InitProducerId_refuses_bad_ids_and_timeouts_with_Kafkas_codes()
    {
        var kit = new TransactionTestKit();

        Assert.Equal(ErrorCode.InvalidRequest, kit.Init("").Error);
        Assert.Equal(ErrorCode.InvalidTransactionTimeout, kit.Init(timeoutMs: 0).Error);
        Assert.Equal(ErrorCode.InvalidTransactionTimeout, kit.Init(timeoutMs: kit.Options.MaxTimeoutMs + 1).Error);
        Assert.Equal(ErrorCode.None, kit.Init(timeoutMs: kit.Options.MaxTimeoutMs).Error);
    }

    [Fact]
    public void A_commit_writes_prepare_then_a_marker_per_partition_then_complete()
    {
        var kit = new TransactionTestKit();
        var producer = kit.Init();

        Assert.Equal(ErrorCode.None, kit.Coordinator.AddPartitions("tx", producer.ProducerId, producer.ProducerEpoch, [A]));
        Assert.Equal(ErrorCode.None, kit.Coordinator.AddPartitions("tx", producer.ProducerId, producer.ProducerEpoch, [A, B]));
        Assert.Equal(TransactionState.Ongoing, kit.State());
        Assert.Equal([A, B], kit.Coordinator.Describe("tx")!.Partitions);

        Assert.Equal(ErrorCode.None, kit.Coordinator.EndTransaction("tx", producer.ProducerId, producer.ProducerEpoch, commit: true));

        Assert.Equal(TransactionState.CompleteCommit, kit.State());
        Assert.Equal([(A, 1000L, (short)0, 0, true), (B, 1000L, (short)0, 0, true)], kit.Markers.Written.OrderBy(m => m.Partition.Topic));
        var states = kit.Log.Entries.Select(e => TransactionRecords.ReadValue(e.Record.Value!.Value).State).ToList();
        Assert.Equal([TransactionState.Empty, TransactionState.Ongoing, TransactionState.Ongoing, TransactionState.PrepareCommit, TransactionState.CompleteCommit], states);
        Assert.Empty(kit.Coordinator.Describe("tx")!.Partitions);
    }

    [Fact]
    public void EndTxn_answers_retries_and_wrong_requests_as_Kafka_does()
    {
        var kit = new TransactionTestKit();
        var p = kit.Init();

        Assert.Equal(ErrorCode.InvalidTxnState, kit.Coordinator.EndTransaction("tx", p.ProducerId, p.ProducerEpoch, commit: true));
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, kit.Coordinator.EndTransaction("unknown", p.ProducerId, p.ProducerEpoch, commit: true));
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, kit.Coordinator.AddPartitions("tx", p.ProducerId + 1, p.ProducerEpoch, [A]));
        Assert.Equal(ErrorCode.ProducerFenced, kit.Coordinator.AddPartitions("tx", p.ProducerId, (short)(p.ProducerEpoch - 1), [A]));

        kit.Coordinator.AddPartitions("tx", p.ProducerId, p.ProducerEpoch, [A]);
        Assert.Equal(ErrorCode.None, kit.Coordinator.EndTransaction("tx", p.ProducerId, p.ProducerEpoch, commit: false));
        Assert.Equal(ErrorCode.None, kit.Coordinator.EndTransaction("tx", p.ProducerId, p.ProducerEpoch, commit: false));
        Assert.Equal(ErrorCode.InvalidTxnState, kit.Coordinator.EndTransaction("tx", p.ProducerId, p.ProducerEpoch, commit: true));
        Assert.Equal(TransactionState.CompleteAbort, kit.State());
        Assert.False(Assert.Single(kit.Markers.Written).Commit);
    }

    [Fact]
    public void A_new_instance_fences_the_old_one_and_aborts_its_open_transaction()
    {
        var kit = new TransactionTestKit();
        var old = kit.Init();
        kit.Coordinator.AddPartitions("tx", old.ProducerId, old.ProducerEpoch, [A]);

        // The first attempt fences and aborts; the client retries on CONCURRENT_TRANSACTIONS.
        Assert.Equal(ErrorCode.ConcurrentTransactions, kit.Init().Error);
        Assert.Equal(TransactionState.CompleteAbort, kit.State());
        Assert.Equal((A, old.ProducerId, (short)(old.ProducerEpoch + 1), 0, false), Assert.Single(kit.Markers.Written));
        var fresh = kit.Init();

        Assert.Equal(new ProducerIdAndEpoch(ErrorCode.None, old.ProducerId, (short)(old.ProducerEpoch + 2)), fresh);
        Assert.Equal(ErrorCode.ProducerFenced, kit.Coordinator.AddPartitions("tx", old.ProducerId, old.ProducerEpoch, [B]));
        Assert.Equal(ErrorCode.ProducerFenced, kit.Coordinator.EndTransaction("tx", old.ProducerId, old.ProducerEpoch, commit: true));
    }

    [Fact]
    public void InitProducerId_with_the_current_id_and_epoch_bumps_and_a_lost_answer_is_repeated()
    {
        var kit = new TransactionTestKit();
        var p = kit.Init();

        var bumped = kit.Init(producerId: p.ProducerId, epoch: p.ProducerEpoch);
        var retried = kit.Init(producerId: p.ProducerId, epoch: p.ProducerEpoch);

        Assert.Equal(new ProducerIdAndEpoch(ErrorCode.None, p.ProducerId, 1), bumped);
        Assert.Equal(bumped, retried);
        Assert.Equal(ErrorCode.ProducerFenced, kit.Init(producerId: p.ProducerId + 7, epoch: 0).Error);
    }

    [Fact]
    public void An_exhausted_epoch_gets_a_new_producer_id()
    {
        var log = new MemoryTransactionLog();
        var seed = new TransactionTestKit(log);
        seed.Init();
        // A stored state with the epoch one below the limit, as after ~32k re-initialisations.
        log.Entries.Add(log.Entries[0] with
        {
            Record = log.Entries[0].Record with
            {
                Value = TransactionRecords.Value(new TransactionSnapshot(1000, short.MaxValue - 1, 10_000, TransactionState.Empty, TransactionSnapshot.NoPartitions, -1, 0)),
            },
        });
        var kit = new TransactionTestKit(log);

        Assert.Equal(new ProducerIdAndEpoch(ErrorCode.None, 1000, 0), kit.Init());
    }

    [Fact]
    public void A_transaction_past_its_timeout_is_aborted_and_its_producer_fenced()
    {
        var kit = new TransactionTestKit();
        var p = kit.Init(timeoutMs: 5_000);
        kit.Coordinator.AddPartitions("tx", p.ProducerId, p.ProducerEpoch, [A]);

        kit.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TransactionState.Ongoing, kit.State());
        kit.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(TransactionState.CompleteAbort, kit.State());
        Assert.Equal((A, p.ProducerId, (short)1, 0, false), Assert.Single(kit.Markers.Written));
        Assert.Equal(ErrorCode.ProducerFenced, kit.Coordinator.EndTransaction("tx", p.ProducerId, p.ProducerEpoch, commit: true));
    }

    [Fact]
    public void A_failed_marker_keeps_the_transaction_in_prepare_until_a_later_tick_writes_it()
    {
        var kit = new TransactionTestKit();
        var p = kit.Init();
        kit.Coordinator.AddPartitions("tx", p.ProducerId, p.ProducerEpoch, [A, B]);
        kit.Markers.Failing[B] = ErrorCode.KafkaStorageError;

        Assert.Equal(ErrorCode.None, kit.Coordinator.EndTransaction("tx", p.ProducerId, p.ProducerEpoch, commit: true));
        Assert.Equal(TransactionState.PrepareCommit, kit.State());
        Assert.Equal(ErrorCode.ConcurrentTransactions, kit.Coordinator.AddPartitions("tx", p.ProducerId, p.ProducerEpoch, [A]));

        kit.Markers.Failing.Clear();
        kit.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TransactionState.CompleteCommit, kit.State());
        Assert.Equal([A, B], kit.Markers.Written.Select(m => m.Partition).Order(Comparer<TopicPartition>.Create((x, y) => string.CompareOrdinal(x.Topic, y.Topic))));
    }

    [Fact]
    public void A_failed_log_write_changes_nothing_and_is_retriable()
    {
        var kit = new TransactionTestKit();
        var p = kit.Init();
        kit.Log.FailWith = ErrorCode.KafkaStorageError;

        Assert.Equal(ErrorCode.CoordinatorNotAvailable, kit.Coordinator.AddPartitions("tx", p.ProducerId, p.ProducerEpoch, [A]));
        Assert.Equal(TransactionState.Empty, kit.State());
    }

    [Fact]
    public void Reload_restores_ids_and_finishes_a_decided_transaction()
    {
        var kit = new TransactionTestKit();
        var p = kit.Init();
        kit.Coordinator.AddPartitions("tx", p.ProducerId, p.ProducerEpoch, [A, B]);
        kit.Markers.Failing[A] = ErrorCode.KafkaStorageError;
        kit.Markers.Failing[B] = ErrorCode.KafkaStorageError;
        kit.Coordinator.EndTransaction("tx", p.ProducerId, p.ProducerEpoch, commit: true);
        var open = kit.Init("open");
        kit.Coordinator.AddPartitions("open", open.ProducerId, open.ProducerEpoch, [B]);

        var reloaded = new TransactionTestKit(kit.Log);
        Assert.Equal(2, reloaded.Coordinator.List(new HashSet<TransactionState>(), new HashSet<long>(), -1).Count);

        Assert.Equal(TransactionState.CompleteCommit, reloaded.State());
        Assert.Equal(2, reloaded.Markers.Written.Count(m => m.Commit && m.ProducerId == p.ProducerId));
        Assert.Equal(TransactionState.Ongoing, reloaded.State("open"));
        Assert.Equal(ErrorCode.None, reloaded.Coordinator.EndTransaction("open", open.ProducerId, open.ProducerEpoch, commit: true));
        Assert.Equal(new ProducerIdAndEpoch(ErrorCode.None, p.ProducerId, 1), reloaded.Init());
    }

    [Fact]
    public void An_idle_transactional_id_expires_and_comes_back_with_a_new_producer_id()
    {
        var kit = new TransactionTestKit();
        var p = kit.Init();

        kit.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(TransactionState.Empty, kit.State());
        kit.Advance(TimeSpan.FromMinutes(2));

        Assert.Null(kit.Coordinator.Describe("tx"));
        Assert.Null(kit.Log.Entries[^1].Record.Value);
        Assert.NotEqual(p.ProducerId, kit.Init().ProducerId);
    }

    [Fact]
    public void List_filters_by_state_producer_and_duration()
    {
        var kit = new TransactionTestKit();
        var p = kit.Init("busy");
        kit.Coordinator.AddPartitions("busy", p.ProducerId, p.ProducerEpoch, [A]);
        var idle = kit.Init("idle");
        kit.Time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(2, kit.Coordinator.List(new HashSet<TransactionState>(), new HashSet<long>(), -1).Count);
        Assert.Equal("busy", Assert.Single(kit.Coordinator.List(new HashSet<TransactionState> { TransactionState.Ongoing }, new HashSet<long>(), -1)).TransactionalId);
        Assert.Equal("idle", Assert.Single(kit.Coordinator.List(new HashSet<TransactionState>(), new HashSet<long> { idle.ProducerId }, -1)).TransactionalId);
        Assert.Equal("busy", Assert.Single(kit.Coordinator.List(new HashSet<TransactionState>(), new HashSet<long>(), 2_000)).TransactionalId);
        Assert.Empty(kit.Coordinator.List(new HashSet<TransactionState>(), new HashSet<long>(), 5_000));
    }
}
