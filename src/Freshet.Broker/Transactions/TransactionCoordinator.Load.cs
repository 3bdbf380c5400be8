using Freshet.Broker.Topics;

namespace Freshet.Broker.Transactions;

/// <summary>
/// Rebuilds the transactional ids of one __transaction_state partition by replaying it (the last record of an id
/// wins, a tombstone forgets it). Transactions whose decision was logged but whose markers may not all have been
/// written (PrepareCommit/PrepareAbort) are finished once the ids are installed.
/// </summary>
internal sealed partial class TransactionCoordinator
{
    private static Dictionary<string, TransactionMetadata> Replay(IEnumerable<InternalLogEntry> entries, CancellationToken cancellation)
    {
        var latest = new Dictionary<string, TransactionSnapshot?>(StringComparer.Ordinal);
        var replayed = 0;
        foreach (var entry in entries)
        {
            if ((++replayed & 1023) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }
            if (entry.IsMarker || entry.Record.Key is not { } key)
            {
                continue;
            }
            latest[TransactionRecords.ReadKey(key)] = entry.Record.Value is { } value ? TransactionRecords.ReadValue(value) : null;
        }
        cancellation.ThrowIfCancellationRequested();
        var loaded = new Dictionary<string, TransactionMetadata>(StringComparer.Ordinal);
        foreach (var (transactionalId, snapshot) in latest)
        {
            if (snapshot is not null && snapshot.State != TransactionState.Dead)
            {
                var txn = new TransactionMetadata(transactionalId, snapshot);
                txn.Apply(snapshot);
                loaded[transactionalId] = txn;
            }
        }
        return loaded;
    }
}
