using Freshet.Broker.Topics;

namespace Freshet.Broker.Transactions;

/// <summary>
/// Rebuilds every transactional id by replaying __transaction_state (the last record of an id wins, a tombstone
/// forgets it), then finishes the transactions whose decision was logged but whose markers may not all have been
/// written (PrepareCommit/PrepareAbort). Requests meanwhile get COORDINATOR_LOAD_IN_PROGRESS.
/// </summary>
internal sealed partial class TransactionCoordinator
{
    public int Load(IEnumerable<InternalLogEntry> entries)
    {
        _loading = true;
        try
        {
            var latest = new Dictionary<string, TransactionSnapshot?>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (entry.IsMarker || entry.Record.Key is not { } key)
                {
                    continue;
                }
                latest[TransactionRecords.ReadKey(key)] = entry.Record.Value is { } value ? TransactionRecords.ReadValue(value) : null;
            }
            foreach (var (transactionalId, snapshot) in latest)
            {
                if (snapshot is not null && snapshot.State != TransactionState.Dead)
                {
                    var txn = new TransactionMetadata(transactionalId, snapshot);
                    txn.Apply(snapshot);
                    _transactions[transactionalId] = txn;
                }
            }
        }
        finally
        {
            _loading = false;
        }
        foreach (var txn in _transactions.Values)
        {
            lock (txn)
            {
                WriteMarkers(txn);
            }
        }
        return _transactions.Count;
    }
}
