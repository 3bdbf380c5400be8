using Freshet.Broker.Diagnostics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Transactions;

/// <summary>The producer id and epoch InitProducerId answers, or the error.</summary>
internal readonly record struct ProducerIdAndEpoch(ErrorCode Error, long ProducerId, short ProducerEpoch)
{
    public static ProducerIdAndEpoch Failed(ErrorCode error) => new(error, -1, -1);
}

/// <summary>
/// InitProducerId with a transactional id: a new producer id the first time, then an epoch bump each time,
/// which fences the previous instance; an open transaction of that instance is aborted first (the client
/// retries on CONCURRENT_TRANSACTIONS meanwhile). An epoch about to overflow gets a new producer id instead.
/// </summary>
internal sealed partial class TransactionCoordinator
{
    private const short NoEpoch = -1;

    /// <summary>Kafka's limit: an epoch this high is never bumped; the producer id is replaced.</summary>
    private const short LastUsableEpoch = short.MaxValue - 1;

    /// <param name="expectedProducerId">The caller's current producer id (v3+, KIP-360), or -1.</param>
    /// <param name="expectedEpoch">The caller's current epoch, or -1.</param>
    public Task<ProducerIdAndEpoch> InitProducerIdAsync(string transactionalId, int timeoutMs, long expectedProducerId, short expectedEpoch)
    {
        if (transactionalId.Length == 0)
        {
            return Failed(ErrorCode.InvalidRequest);
        }
        if (timeoutMs <= 0 || timeoutMs > _options.MaxTimeoutMs)
        {
            return Failed(ErrorCode.InvalidTransactionTimeout);
        }
        // As Kafka: the request is checked before the coordinator looks for the id's partition.
        if (CoordinatorStatus(transactionalId) is var status and not ErrorCode.None)
        {
            return Failed(status);
        }
        var txn = GetOrCreate(transactionalId, timeoutMs);
        lock (txn)
        {
            if (txn.State == TransactionState.Dead || txn.PendingWrite is not null)
            {
                // Expired between the lookup and the lock (the next attempt creates the id afresh), or a change is being written.
                return Failed(ErrorCode.ConcurrentTransactions);
            }
            var expected = expectedProducerId >= 0 ? (expectedProducerId, expectedEpoch) : ((long, short)?)null;
            if (expected is { } given && !IsValidProducerId(txn, given.Item1))
            {
                return Failed(ErrorCode.ProducerFenced);
            }
            switch (txn.State)
            {
                case TransactionState.PrepareCommit or TransactionState.PrepareAbort:
                    WriteMarkers(txn);
                    return Failed(ErrorCode.ConcurrentTransactions);
                case TransactionState.Ongoing:
                    // The previous instance left a transaction open: fence it and abort, then the client retries.
                    FenceAndAbort(txn);
                    return Failed(ErrorCode.ConcurrentTransactions);
                case TransactionState.Empty or TransactionState.CompleteCommit or TransactionState.CompleteAbort:
                    return BumpEpoch(txn, timeoutMs, expected);
                default:
                    return Failed(ErrorCode.ConcurrentTransactions);
            }
        }
    }

    private static Task<ProducerIdAndEpoch> Failed(ErrorCode error) => Task.FromResult(ProducerIdAndEpoch.Failed(error));

    private TransactionMetadata GetOrCreate(string transactionalId, int timeoutMs)
    {
        if (_transactions.TryGetValue(transactionalId, out var existing) && existing.State != TransactionState.Dead)
        {
            return existing;
        }
        lock (_createLock)
        {
            if (_transactions.TryGetValue(transactionalId, out existing) && existing.State != TransactionState.Dead)
            {
                return existing;
            }
            // Not written until the first epoch bump: epoch -1 means "just created" to the checks below.
            var created = new TransactionMetadata(transactionalId, new TransactionSnapshot(
                _nextProducerId(), NoEpoch, timeoutMs, TransactionState.Empty, TransactionSnapshot.NoPartitions, -1, NowMs));
            _transactions[transactionalId] = created;
            return created;
        }
    }

    // Kafka's rule: a caller presenting a producer id is fenced unless the id is new, or the id is the current one
    // (its epoch is checked next), or the id was just replaced by InitProducerId (a retry).
    private static bool IsValidProducerId(TransactionMetadata txn, long expectedProducerId) =>
        txn.ProducerEpoch == NoEpoch
        || expectedProducerId == txn.ProducerId
        || (txn.BeforeLastInit is { } before && before.ProducerId == expectedProducerId);

    private Task<ProducerIdAndEpoch> BumpEpoch(TransactionMetadata txn, int timeoutMs, (long ProducerId, short Epoch)? expected)
    {
        var current = txn.Current;
        if (expected is { } given && current.ProducerEpoch != NoEpoch && (given.ProducerId != current.ProducerId || given.Epoch != current.ProducerEpoch))
        {
            // A retry of the InitProducerId that made the current epoch gets the same answer; anyone else is a zombie.
            return txn.BeforeLastInit == (given.ProducerId, given.Epoch)
                ? Task.FromResult(new ProducerIdAndEpoch(ErrorCode.None, current.ProducerId, current.ProducerEpoch))
                : Failed(ErrorCode.ProducerFenced);
        }
        var (producerId, epoch) = current.ProducerEpoch >= LastUsableEpoch
            ? (_nextProducerId(), (short)0)
            : (current.ProducerId, (short)(current.ProducerEpoch + 1));
        var next = new TransactionSnapshot(producerId, epoch, timeoutMs, TransactionState.Empty, TransactionSnapshot.NoPartitions, -1, NowMs);
        var persisted = Persist(txn, next, outcome =>
        {
            if (outcome == ErrorCode.None)
            {
                txn.BeforeLastInit = (current.ProducerId, current.ProducerEpoch);
                TransactionLog.Initialized(_logger, txn.TransactionalId, producerId, epoch);
            }
        });
        return AnswerAsync(persisted, producerId, epoch);
    }

    private static async Task<ProducerIdAndEpoch> AnswerAsync(Task<ErrorCode> persisted, long producerId, short epoch)
    {
        var error = await persisted.ConfigureAwait(false);
        return error == ErrorCode.None ? new ProducerIdAndEpoch(ErrorCode.None, producerId, epoch) : ProducerIdAndEpoch.Failed(error);
    }
}
