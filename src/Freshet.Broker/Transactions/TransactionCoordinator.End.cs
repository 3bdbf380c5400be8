using Freshet.Broker.Diagnostics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Transactions;

/// <summary>
/// EndTxn and the markers: the decision (PrepareCommit/PrepareAbort) is logged first, so it survives a crash;
/// then a marker goes to every partition of the transaction, and CompleteCommit/CompleteAbort is logged once all
/// are written. Markers that fail are retried by <see cref="Tick"/> and by the producer's next request.
/// </summary>
internal sealed partial class TransactionCoordinator
{
    public ErrorCode EndTransaction(string transactionalId, long producerId, short producerEpoch, bool commit) =>
        WithProducer(transactionalId, producerId, producerEpoch, txn => End(txn, commit));

    private ErrorCode End(TransactionMetadata txn, bool commit)
    {
        switch (txn.State)
        {
            case TransactionState.Ongoing:
                return Prepare(txn, commit);
            case TransactionState.CompleteCommit:
                // A retried EndTxn whose answer was lost gets the same answer.
                return commit ? ErrorCode.None : ErrorCode.InvalidTxnState;
            case TransactionState.CompleteAbort:
                return commit ? ErrorCode.InvalidTxnState : ErrorCode.None;
            case TransactionState.PrepareCommit:
                return commit ? RetryMarkers(txn) : ErrorCode.InvalidTxnState;
            case TransactionState.PrepareAbort:
                return commit ? ErrorCode.InvalidTxnState : RetryMarkers(txn);
            default:
                return ErrorCode.InvalidTxnState;
        }
    }

    private ErrorCode Prepare(TransactionMetadata txn, bool commit)
    {
        var state = commit ? TransactionState.PrepareCommit : TransactionState.PrepareAbort;
        var error = Persist(txn, txn.Current with { State = state, LastUpdateTimestampMs = NowMs });
        if (error != ErrorCode.None)
        {
            return error;
        }
        // The decision is durable: the transaction completes even if some markers must wait for the next tick.
        WriteMarkers(txn);
        return ErrorCode.None;
    }

    private ErrorCode RetryMarkers(TransactionMetadata txn)
    {
        WriteMarkers(txn);
        return txn.State.IsPrepare() ? ErrorCode.ConcurrentTransactions : ErrorCode.None;
    }

    /// <summary>
    /// The producer left a transaction open (a new instance initialises, or the timeout passed): its epoch is bumped,
    /// so its later requests and batches are refused, and the transaction is aborted with the new epoch.
    /// </summary>
    private void FenceAndAbort(TransactionMetadata txn)
    {
        txn.State = TransactionState.PrepareEpochFence;
        var current = txn.Current;
        var epoch = current.ProducerEpoch >= LastUsableEpoch ? current.ProducerEpoch : (short)(current.ProducerEpoch + 1);
        var error = Persist(txn, current with { ProducerEpoch = epoch, State = TransactionState.PrepareAbort, LastUpdateTimestampMs = NowMs });
        if (error != ErrorCode.None)
        {
            // Not fenced: the transaction stays open and the next tick tries again.
            txn.State = current.State;
            return;
        }
        TransactionLog.Fenced(_logger, txn.TransactionalId, current.ProducerId, epoch);
        WriteMarkers(txn);
    }

    /// <summary>Writes the markers still pending, then CompleteCommit/CompleteAbort once none is left.</summary>
    private void WriteMarkers(TransactionMetadata txn)
    {
        if (!txn.State.IsPrepare())
        {
            return;
        }
        var commit = txn.State == TransactionState.PrepareCommit;
        foreach (var partition in txn.PendingMarkers.ToArray())
        {
            var error = _markers.Write(partition, txn.ProducerId, txn.ProducerEpoch, CoordinatorEpoch, commit);
            // A partition deleted since needs no marker, as Kafka drops markers for partitions that are gone.
            if (error is ErrorCode.None or ErrorCode.UnknownTopicOrPartition)
            {
                txn.PendingMarkers.Remove(partition);
            }
            else
            {
                TransactionLog.MarkerFailed(_logger, txn.TransactionalId, partition.Topic, partition.Partition, error.ToString());
            }
        }
        if (txn.PendingMarkers.Count > 0)
        {
            return;
        }
        var completed = commit ? TransactionState.CompleteCommit : TransactionState.CompleteAbort;
        if (Persist(txn, txn.Current with { State = completed, Partitions = TransactionSnapshot.NoPartitions, LastUpdateTimestampMs = NowMs }) == ErrorCode.None)
        {
            TransactionLog.Completed(_logger, txn.TransactionalId, txn.ProducerId, txn.ProducerEpoch, completed.Name());
        }
    }
}
