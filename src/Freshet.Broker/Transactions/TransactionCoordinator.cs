using System.Collections.Concurrent;
using Freshet.Broker.Diagnostics;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Transactions;

/// <summary>
/// Kafka's transaction coordinator for the transactional ids whose __transaction_state partition this broker
/// leads (see the Leadership part). Each id's state is written to the <see cref="ITransactionLog"/> before it is
/// adopted and acknowledged; markers go through the <see cref="ITxnMarkerWriter"/> while the transaction is in
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

    /// <summary>Writes the next state of the id to the log and adopts it once written.</summary>
    private ErrorCode Persist(TransactionMetadata txn, TransactionSnapshot next)
    {
        var partition = _log.PartitionFor(txn.TransactionalId);
        if (_partitions.EpochOf(partition) < 0)
        {
            // Resigned since the request was checked: the new leader owns the id now.
            return ErrorCode.NotCoordinator;
        }
        var error = _log.Append(txn.TransactionalId, TransactionRecords.Key(txn.TransactionalId), TransactionRecords.Value(next), next.LastUpdateTimestampMs);
        if (error != ErrorCode.None)
        {
            TransactionLog.WriteFailed(_logger, txn.TransactionalId, next.State.Name(), error.ToString());
            // As Kafka maps a failed append to the transaction log: retriable for the client.
            return ErrorCode.CoordinatorNotAvailable;
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
