using Freshet.Broker.Diagnostics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Transactions;

/// <summary>
/// transactional.id.expiration.ms: an id with no open transaction and no update for that long goes Dead once its
/// tombstone is on every in-sync replica (compaction then drops its records) and it is forgotten; its next
/// InitProducerId starts afresh with a new producer id.
/// </summary>
internal sealed partial class TransactionCoordinator
{
    private void ExpireTransactionalIds(long nowMs)
    {
        var expiration = (long)_options.TransactionalIdExpiration.TotalMilliseconds;
        foreach (var txn in _transactions.Values)
        {
            lock (txn)
            {
                if (!txn.State.IsIdle() || txn.PendingWrite is not null || txn.Current.LastUpdateTimestampMs + expiration > nowMs || CoordinatorStatus(txn.TransactionalId) != ErrorCode.None)
                {
                    continue;
                }
                // Pending Dead, as Kafka's prepareDead: the id takes no other change until the tombstone is durable,
                // and is forgotten only then; a tombstone that fails leaves it as it was, to expire at a later check.
                _ = Persist(txn, txn.Current with { State = TransactionState.Dead, LastUpdateTimestampMs = nowMs }, outcome =>
                {
                    if (outcome == ErrorCode.None)
                    {
                        _transactions.TryRemove(new KeyValuePair<string, TransactionMetadata>(txn.TransactionalId, txn));
                        TransactionLog.Expired(_logger, txn.TransactionalId, txn.ProducerId);
                    }
                });
            }
        }
    }
}
