using Freshet.Broker.Diagnostics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Transactions;

/// <summary>
/// transactional.id.expiration.ms: an id with no open transaction and no update for that long goes Dead, its
/// tombstone is written (compaction then drops its records) and it is forgotten; its next InitProducerId starts
/// afresh with a new producer id.
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
                var previous = txn.State;
                txn.State = TransactionState.Dead;
                if (_log.Append(txn.TransactionalId, TransactionRecords.Key(txn.TransactionalId), null, nowMs).Error != ErrorCode.None)
                {
                    txn.State = previous;
                    continue;
                }
                _transactions.TryRemove(new KeyValuePair<string, TransactionMetadata>(txn.TransactionalId, txn));
                TransactionLog.Expired(_logger, txn.TransactionalId, txn.ProducerId);
            }
        }
    }
}
