using System.Collections.Concurrent;
using Freshet.Broker.Diagnostics;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Transactions;

/// <summary>
/// Kafka's transaction coordinator for the transactional ids whose __transaction_state partition this broker
/// leads (see the Leadership part). Each id's state is written to the <see cref="ITransactionLog"/> and adopted and
/// acknowledged only once every in-sync replica has it; markers go through the <see cref="ITxnMarkerWriter"/> while the transaction is in
/// PrepareCommit/PrepareAbort, and the transaction completes once every partition has its marker.
/// Deadlines are checked by <see cref="Tick"/>, driven by a timer in the broker and by hand in tests.
/// Split by concern: InitProducerId, AddPartitions, End (with the markers), Expiry, Load, Leadership, Admin.
/// </summary>
internal sealed partial class TransactionCoordinator : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TransactionMetadata> _transactions = new(StringComparer.Ordinal);
    private readonly object _createLock = new();
    private readonly TransactionCoordinatorOptions _options;
    private readonly ITransactionLog _log;
    private readonly ITxnMarkerWriter _markers;
    private readonly Func<long> _nextProducerId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private ITimer? _ticker;
    private DateTimeOffset _nextExpiryCheck;
    private readonly Coordination.CoordinatorPartitions _partitions = new();

    public TransactionCoordinator(
        TransactionCoordinatorOptions options, ITransactionLog log, ITxnMarkerWriter markers, Func<long> nextProducerId, TimeProvider time, ILogger logger)
    {
        _options = options;
        _log = log;
        _markers = markers;
        _nextProducerId = nextProducerId;
        _time = time;
        _logger = logger;
        _nextExpiryCheck = time.GetUtcNow() + options.RemoveExpiredInterval;
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Starts checking timeouts, stuck markers and expiry on the coordinator's timer.</summary>
    public void Start() => _ticker = _time.CreateTimer(_ => Tick(), null, _options.AbortTimedOutInterval, _options.AbortTimedOutInterval);

    internal bool TryGet(string transactionalId, out TransactionMetadata metadata) => _transactions.TryGetValue(transactionalId, out metadata!);

    /// <summary>Retries markers not written yet, aborts transactions past their timeout, expires idle ids when due.</summary>
    public void Tick()
    {
        var nowMs = NowMs;
        foreach (var txn in _transactions.Values)
        {
            if (CoordinatorStatus(txn.TransactionalId) == ErrorCode.NotCoordinator)
            {
                // Made by a request that raced with the resign of its partition: not ours to keep.
                _transactions.TryRemove(new KeyValuePair<string, TransactionMetadata>(txn.TransactionalId, txn));
                continue;
            }
            lock (txn)
            {
                if (txn.State.IsPrepare())
                {
                    WriteMarkers(txn);
                }
                else if (txn.State == TransactionState.Ongoing && txn.Current.StartTimestampMs + txn.Current.TimeoutMs < nowMs)
                {
                    TransactionLog.TimedOut(_logger, txn.TransactionalId, txn.ProducerId, txn.Current.TimeoutMs);
                    FenceAndAbort(txn);
                }
            }
        }
        if (_time.GetUtcNow() >= _nextExpiryCheck)
        {
            _nextExpiryCheck = _time.GetUtcNow() + _options.RemoveExpiredInterval;
            ExpireTransactionalIds(nowMs);
        }
    }

    /// <summary>
    /// Writes the next state of the id to the log. It is adopted, and <paramref name="onOutcome"/> runs under the id's
    /// lock, once every in-sync replica has it: at once with one replica, otherwise when the high watermark passes it.
    /// Meanwhile the write is pending and the id takes no other change (CONCURRENT_TRANSACTIONS), as in Kafka; a write
    /// that fails leaves the state as it was. A Dead state is written as the id's tombstone. <paramref name="onOutcome"/> runs exactly once. Caller holds the lock.
    /// </summary>
    private Task<ErrorCode> Persist(TransactionMetadata txn, TransactionSnapshot next, Action<ErrorCode>? onOutcome = null)
    {
        ErrorCode refused;
        if (_partitions.EpochOf(_log.PartitionFor(txn.TransactionalId)) < 0)
        {
            // Resigned since the request was checked: the new leader owns the id now.
            refused = ErrorCode.NotCoordinator;
        }
        else if (txn.PendingWrite is not null)
        {
            refused = ErrorCode.ConcurrentTransactions;
        }
        else
        {
            // Dead is never logged as a state: it is the id's tombstone.
            var value = next.State == TransactionState.Dead ? null : TransactionRecords.Value(next);
            var write = _log.Append(txn.TransactionalId, TransactionRecords.Key(txn.TransactionalId), value, next.LastUpdateTimestampMs);
            if (!write.TryGetOutcome(out var outcome))
            {
                txn.PendingWrite = next;
                return AdoptWhenDurableAsync(txn, next, write, onOutcome);
            }
            refused = Adopt(txn, next, outcome);
        }
        onOutcome?.Invoke(refused);
        return Task.FromResult(refused);
    }

    private async Task<ErrorCode> AdoptWhenDurableAsync(TransactionMetadata txn, TransactionSnapshot next, Topics.InternalWrite write, Action<ErrorCode>? onOutcome)
    {
        var outcome = await write.DurableAsync().ConfigureAwait(false);
        lock (txn)
        {
            // Another write can only have replaced it if the id was reloaded; the new state is not this one's to change.
            var stillPending = ReferenceEquals(txn.PendingWrite, next);
            if (stillPending)
            {
                txn.PendingWrite = null;
            }
            var error = stillPending ? Adopt(txn, next, outcome) : ErrorCode.NotCoordinator;
            onOutcome?.Invoke(error);
            return error;
        }
    }

    /// <summary>Adopts a durable write; a failed one gets Kafka's answer: NOT_COORDINATOR, or retriable COORDINATOR_NOT_AVAILABLE.</summary>
    private ErrorCode Adopt(TransactionMetadata txn, TransactionSnapshot next, ErrorCode outcome)
    {
        if (outcome != ErrorCode.None)
        {
            TransactionLog.WriteFailed(_logger, txn.TransactionalId, next.State.Name(), outcome.ToString());
            return outcome == ErrorCode.NotCoordinator ? ErrorCode.NotCoordinator : ErrorCode.CoordinatorNotAvailable;
        }
        txn.Apply(next);
        return ErrorCode.None;
    }

    public async ValueTask DisposeAsync()
    {
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
