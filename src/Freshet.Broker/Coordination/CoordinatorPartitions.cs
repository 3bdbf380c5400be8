using System.Collections.Concurrent;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Coordination;

/// <summary>
/// The partitions of a coordinator's internal topic (__consumer_offsets, __transaction_state) this broker leads,
/// each loading or loaded, with the leader epoch it leads at; Kafka's CoordinatorRuntime keeps the same per
/// partition. A request for a key of a partition not led here gets NOT_COORDINATOR, of one still loading
/// COORDINATOR_LOAD_IN_PROGRESS. Leadership events older than the latest seen for a partition are ignored.
/// Transitions are serialised by one lock; lookups read without it.
/// </summary>
internal sealed class CoordinatorPartitions
{
    private readonly object _lock = new();
    private readonly ConcurrentDictionary<int, Ownership> _owned = new();
    private readonly Dictionary<int, int> _latestEpoch = [];
    private readonly ConcurrentDictionary<int, Task> _loads = new();

    /// <summary>One led partition: the epoch, whether its state is loaded, and the token that stops its work on resign.</summary>
    private sealed class Ownership(int epoch, bool loaded, CancellationTokenSource cancel)
    {
        public int Epoch { get; } = epoch;

        public bool Loaded { get; } = loaded;

        public CancellationTokenSource Cancel { get; } = cancel;
    }

    /// <summary>None when the partition is led and loaded here; COORDINATOR_LOAD_IN_PROGRESS or NOT_COORDINATOR otherwise.</summary>
    public ErrorCode StatusOf(int partition)
    {
        if (!_owned.TryGetValue(partition, out var ownership))
        {
            return ErrorCode.NotCoordinator;
        }
        return ownership.Loaded ? ErrorCode.None : ErrorCode.CoordinatorLoadInProgress;
    }

    /// <summary>Whether any led partition is still loading (ListGroups and ListTransactions answer for all of them).</summary>
    public bool AnyLoading
    {
        get
        {
            foreach (var ownership in _owned.Values)
            {
                if (!ownership.Loaded)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>The leader epoch the partition is led at here (the transaction coordinator's epoch), -1 when not led.</summary>
    public int EpochOf(int partition) => _owned.TryGetValue(partition, out var ownership) ? ownership.Epoch : -1;

    /// <summary>Cancelled when this broker stops leading the partition: loads and marker sends for it stop.</summary>
    public CancellationToken TokenOf(int partition) =>
        _owned.TryGetValue(partition, out var ownership) ? ownership.Cancel.Token : new CancellationToken(canceled: true);

    /// <summary>
    /// This broker leads the partition from <paramref name="epoch"/> on. True with a token when its state must be loaded
    /// now; false when the event is stale, or the partition is already led here (only its epoch moves on then).
    /// </summary>
    public bool TryBeginLoad(int partition, int epoch, out CancellationToken token)
    {
        lock (_lock)
        {
            token = default;
            var known = _latestEpoch.TryGetValue(partition, out var latest);
            var owned = _owned.TryGetValue(partition, out var current);
            if (known && (epoch < latest || (epoch == latest && owned)))
            {
                return false;
            }
            _latestEpoch[partition] = epoch;
            if (owned)
            {
                // Still the leader under a newer epoch: the loaded state stays, markers carry the new epoch.
                _owned[partition] = new Ownership(epoch, current!.Loaded, current.Cancel);
                return false;
            }
            var cancel = new CancellationTokenSource();
            _owned[partition] = new Ownership(epoch, loaded: false, cancel);
            token = cancel.Token;
            return true;
        }
    }

    /// <summary>
    /// This broker leads the partition from <paramref name="leaderEpoch"/> on: unless the event is stale or the partition
    /// is led here already, <paramref name="load"/> (partition, epoch, token) runs on the thread pool. The task ends with it.
    /// </summary>
    public Task BecomeLeaderAsync(int partition, int leaderEpoch, Action<int, int, CancellationToken> load)
    {
        if (!TryBeginLoad(partition, leaderEpoch, out var token))
        {
            return Task.CompletedTask;
        }
        var loading = Task.Run(() => load(partition, leaderEpoch, token), CancellationToken.None);
        _loads[partition] = loading;
        return loading;
    }

    /// <summary>Completes when every load started so far has ended.</summary>
    public Task WhenLoadedAsync() => Task.WhenAll(_loads.Values);

    /// <summary>
    /// Ends the load <paramref name="loadToken"/> belongs to: runs <paramref name="install"/> (which adopts the loaded
    /// state) and starts serving, unless the partition was resigned (and perhaps led afresh) since, in which case
    /// nothing is installed.
    /// </summary>
    public bool CompleteLoad(int partition, Action install, CancellationToken loadToken)
    {
        lock (_lock)
        {
            if (!_owned.TryGetValue(partition, out var current) || current.Loaded || current.Cancel.Token != loadToken || loadToken.IsCancellationRequested)
            {
                return false;
            }
            install();
            _owned[partition] = new Ownership(current.Epoch, loaded: true, current.Cancel);
            return true;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> if the partition is led here and still loading, atomically with the load's
    /// install: for what must reach the loaded state but arrives before it is there.
    /// </summary>
    public bool RunIfLoading(int partition, Action action)
    {
        lock (_lock)
        {
            if (!_owned.TryGetValue(partition, out var current) || current.Loaded)
            {
                return false;
            }
            action();
            return true;
        }
    }

    /// <summary>
    /// This broker no longer leads the partition: its loads and sends are cancelled and <paramref name="drop"/> removes its
    /// state. False (nothing done) when the event is older than the partition's latest, or it was not led here.
    /// </summary>
    public bool Resign(int partition, int epoch, Action drop)
    {
        lock (_lock)
        {
            if (_latestEpoch.TryGetValue(partition, out var latest) && epoch < latest)
            {
                return false;
            }
            _latestEpoch[partition] = epoch;
            if (!_owned.TryRemove(partition, out var current))
            {
                return false;
            }
            // Not disposed: a lookup that raced with the resign may still read its token.
            current.Cancel.Cancel();
            drop();
            return true;
        }
    }
}
