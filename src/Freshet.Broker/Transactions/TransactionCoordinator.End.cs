using Freshet.Broker.Diagnostics;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Transactions;

/// <summary>
/// EndTxn and the markers: the decision (PrepareCommit/PrepareAbort) is logged first, so it survives a crash;
/// then a marker goes to every partition of the transaction, and CompleteCommit/CompleteAbort is logged once all
/// are written. Markers that fail are retried by <see cref="Tick"/> and by the producer's next request.
/// </summary>
internal sealed partial class TransactionCoordinator
{
    public Task<ErrorCode> EndTransactionAsync(string transactionalId, long producerId, short producerEpoch, bool commit) =>
        WithProducer(transactionalId, producerId, producerEpoch, txn => End(txn, commit));

    private Task<ErrorCode> End(TransactionMetadata txn, bool commit)
    {
        var error = txn.State switch
        {
            TransactionState.Ongoing => ErrorCode.None,
            // A retried EndTxn whose answer was lost gets the same answer.
            TransactionState.CompleteCommit => commit ? ErrorCode.None : ErrorCode.InvalidTxnState,
            TransactionState.CompleteAbort => commit ? ErrorCode.InvalidTxnState : ErrorCode.None,
            TransactionState.PrepareCommit => commit ? RetryMarkers(txn) : ErrorCode.InvalidTxnState,
            TransactionState.PrepareAbort => commit ? ErrorCode.InvalidTxnState : RetryMarkers(txn),
            _ => ErrorCode.InvalidTxnState,
        };
        return txn.State == TransactionState.Ongoing ? Prepare(txn, commit) : Answer(error);
    }

    private Task<ErrorCode> Prepare(TransactionMetadata txn, bool commit)
    {
        var state = commit ? TransactionState.PrepareCommit : TransactionState.PrepareAbort;
        return Persist(txn, txn.Current with { State = state, LastUpdateTimestampMs = NowMs }, outcome =>
        {
            if (outcome == ErrorCode.None)
            {
                // The decision is durable: the transaction completes even if some markers must wait for the next tick.
                WriteMarkers(txn);
            }
        });
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
        if (txn.PendingWrite is not null)
        {
            // Another change of the id is being written; the next tick or request tries again.
            return;
        }
        txn.State = TransactionState.PrepareEpochFence;
        var current = txn.Current;
        var epoch = current.ProducerEpoch >= LastUsableEpoch ? current.ProducerEpoch : (short)(current.ProducerEpoch + 1);
        _ = Persist(txn, current with { ProducerEpoch = epoch, State = TransactionState.PrepareAbort, LastUpdateTimestampMs = NowMs }, outcome =>
        {
            if (outcome != ErrorCode.None)
            {
                // Not fenced: the transaction stays open and the next tick tries again.
                txn.State = current.State;
                return;
            }
            TransactionLog.Fenced(_logger, txn.TransactionalId, current.ProducerId, epoch);
            WriteMarkers(txn);
        });
    }

    /// <summary>
    /// Sends the markers still pending and not in flight, with the coordinator epoch of the id's partition; local ones
    /// are written before this returns, remote ones complete later under the id's lock. Caller holds the lock.
    /// </summary>
    private void WriteMarkers(TransactionMetadata txn)
    {
        if (!txn.State.IsPrepare())
        {
            return;
        }
        var partitionOfId = _log.PartitionFor(txn.TransactionalId);
        var coordinatorEpoch = _partitions.EpochOf(partitionOfId);
        if (coordinatorEpoch < 0)
        {
            return;
        }
        var cancellation = _partitions.TokenOf(partitionOfId);
        var commit = txn.State == TransactionState.PrepareCommit;
        var decision = txn.Current;
        foreach (var partition in txn.PendingMarkers.ToArray())
        {
            if (!txn.MarkersInFlight.Add(partition))
            {
                continue;
            }
            var write = _markers.WriteAsync(partition, txn.ProducerId, txn.ProducerEpoch, coordinatorEpoch, commit, cancellation);
            if (write.IsCompletedSuccessfully)
            {
                MarkerDone(txn, partition, write.Result);
            }
            else
            {
                _ = AwaitMarkerAsync(txn, decision, partition, write);
            }
        }
        TryComplete(txn);
    }

    private async Task AwaitMarkerAsync(TransactionMetadata txn, TransactionSnapshot decision, TopicPartition partition, ValueTask<ErrorCode> write)
    {
        ErrorCode error;
        try
        {
            error = await write.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The coordinator resigned the id's partition: its new leader finishes the transaction.
            return;
        }
        lock (txn)
        {
            if (!ReferenceEquals(txn.Current, decision))
            {
                return;
            }
            MarkerDone(txn, partition, error);
            TryComplete(txn);
        }
    }

    private void MarkerDone(TransactionMetadata txn, TopicPartition partition, ErrorCode error)
    {
        txn.MarkersInFlight.Remove(partition);
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

    /// <summary>Logs CompleteCommit/CompleteAbort once every marker of the decision is written.</summary>
    private void TryComplete(TransactionMetadata txn)
    {
        if (!txn.State.IsPrepare() || txn.PendingMarkers.Count > 0)
        {
            return;
        }
        var commit = txn.State == TransactionState.PrepareCommit;
        var completed = commit ? TransactionState.CompleteCommit : TransactionState.CompleteAbort;
        _ = Persist(txn, txn.Current with { State = completed, Partitions = TransactionSnapshot.NoPartitions, LastUpdateTimestampMs = NowMs }, outcome =>
        {
            if (outcome == ErrorCode.None)
            {
                TransactionLog.Completed(_logger, txn.TransactionalId, txn.ProducerId, txn.ProducerEpoch, completed.Name());
            }
        });
    }
}
