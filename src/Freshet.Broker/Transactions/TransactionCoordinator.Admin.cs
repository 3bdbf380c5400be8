using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Transactions;

/// <summary>A transactional id as ListTransactions and DescribeTransactions show it.</summary>
internal sealed record TransactionDescription(
    string TransactionalId, long ProducerId, short ProducerEpoch, TransactionState State, int TimeoutMs, long StartTimestampMs, IReadOnlyList<TopicPartition> Partitions);

/// <summary>ListTransactions and DescribeTransactions.</summary>
internal sealed partial class TransactionCoordinator
{
    /// <summary>Whether any __transaction_state partition led here is still loading (ListTransactions answers for all).</summary>
    public bool AnyLoading => _partitions.AnyLoading;

    /// <summary>None when this broker coordinates the id now, else NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS.</summary>
    public ErrorCode CoordinatorStatus(string transactionalId) => _partitions.StatusOf(_log.PartitionFor(transactionalId));

    /// <summary>
    /// The ids matching every given filter: states (none = any), producer ids (none = any), and a transaction
    /// running for at least <paramref name="minDurationMs"/> (negative = any).
    /// </summary>
    public List<TransactionDescription> List(IReadOnlySet<TransactionState> states, IReadOnlySet<long> producerIds, long minDurationMs)
    {
        var nowMs = NowMs;
        var result = new List<TransactionDescription>();
        foreach (var txn in _transactions.Values)
        {
            var description = Describe(txn);
            if ((states.Count == 0 || states.Contains(description.State))
                && (producerIds.Count == 0 || producerIds.Contains(description.ProducerId))
                && (minDurationMs < 0 || (description.StartTimestampMs >= 0 && nowMs - description.StartTimestampMs >= minDurationMs)))
            {
                result.Add(description);
            }
        }
        return result;
    }

    public TransactionDescription? Describe(string transactionalId) =>
        _transactions.TryGetValue(transactionalId, out var txn) ? Describe(txn) : null;

    private static TransactionDescription Describe(TransactionMetadata txn)
    {
        lock (txn)
        {
            var current = txn.Current;
            var partitions = new List<TopicPartition>(current.Partitions);
            partitions.Sort((a, b) => a.Topic == b.Topic ? a.Partition.CompareTo(b.Partition) : string.CompareOrdinal(a.Topic, b.Topic));
            return new TransactionDescription(txn.TransactionalId, current.ProducerId, current.ProducerEpoch, txn.State, current.TimeoutMs, current.StartTimestampMs, partitions);
        }
    }
}
