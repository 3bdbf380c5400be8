using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Transactions;

/// <summary>
/// AddPartitionsToTxn and AddOffsetsToTxn (which adds the group's __consumer_offsets partition): the first
/// addition opens the transaction (Ongoing) and starts its timeout.
/// </summary>
internal sealed partial class TransactionCoordinator
{
    public Task<ErrorCode> AddPartitionsAsync(string transactionalId, long producerId, short producerEpoch, IReadOnlyCollection<TopicPartition> partitions) =>
        WithProducer(transactionalId, producerId, producerEpoch, txn => AddPartitions(txn, partitions));

    private Task<ErrorCode> AddPartitions(TransactionMetadata txn, IReadOnlyCollection<TopicPartition> partitions)
    {
        if (txn.State.IsPrepare())
        {
            // The end of the previous transaction is still being written; the client retries.
            WriteMarkers(txn);
            return Answer(ErrorCode.ConcurrentTransactions);
        }
        if (txn.State is TransactionState.Dead or TransactionState.PrepareEpochFence)
        {
            return Answer(ErrorCode.ConcurrentTransactions);
        }
        var current = txn.Current;
        if (txn.State == TransactionState.Ongoing && current.Partitions.IsSupersetOf(partitions))
        {
            return Answer(ErrorCode.None);
        }
        var nowMs = NowMs;
        var union = new HashSet<TopicPartition>(txn.State == TransactionState.Ongoing ? current.Partitions : TransactionSnapshot.NoPartitions);
        union.UnionWith(partitions);
        var start = txn.State == TransactionState.Ongoing ? current.StartTimestampMs : nowMs;
        return Persist(txn, current with { State = TransactionState.Ongoing, Partitions = union, StartTimestampMs = start, LastUpdateTimestampMs = nowMs });
    }

    /// <summary>
    /// Runs the request of a producer under its id's lock, after the checks AddPartitions and EndTxn share: the
    /// coordinator is loaded, the id exists, and the producer id and epoch are the current ones.
    /// </summary>
    private Task<ErrorCode> WithProducer(string transactionalId, long producerId, short producerEpoch, Func<TransactionMetadata, Task<ErrorCode>> action)
    {
        if (transactionalId.Length == 0)
        {
            return Answer(ErrorCode.InvalidRequest);
        }
        if (CoordinatorStatus(transactionalId) is var status and not ErrorCode.None)
        {
            return Answer(status);
        }
        if (!_transactions.TryGetValue(transactionalId, out var txn))
        {
            return Answer(ErrorCode.InvalidProducerIdMapping);
        }
        lock (txn)
        {
            var error = CheckProducer(txn, producerId, producerEpoch);
            if (error == ErrorCode.None && txn.PendingWrite is not null)
            {
                // The id's previous change is still being written to the replicas; the client retries.
                error = ErrorCode.ConcurrentTransactions;
            }
            return error != ErrorCode.None ? Answer(error) : action(txn);
        }
    }

    private static Task<ErrorCode> Answer(ErrorCode error) => Task.FromResult(error);

    // Kafka: another producer id is INVALID_PRODUCER_ID_MAPPING; another epoch means the caller was fenced.
    private static ErrorCode CheckProducer(TransactionMetadata txn, long producerId, short producerEpoch)
    {
        if (txn.State == TransactionState.Dead || producerId != txn.ProducerId)
        {
            return ErrorCode.InvalidProducerIdMapping;
        }
        return producerEpoch != txn.ProducerEpoch ? ErrorCode.ProducerFenced : ErrorCode.None;
    }
}
