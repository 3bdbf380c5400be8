using System.Diagnostics;
using Freshet.Broker.Diagnostics;
using Freshet.Broker.Replication;
using Freshet.Storage;

namespace Freshet.Broker.Transactions;

/// <summary>
/// The coordinator follows the leadership of the __transaction_state partitions, as Kafka's TransactionStateManager
/// loads and unloads them. The leader epoch of a partition is the coordinator epoch of its ids: markers carry it,
/// so partitions refuse those of a coordinator that has since been deposed (TRANSACTION_COORDINATOR_FENCED).
/// Becoming leader loads the partition in the background (COORDINATOR_LOAD_IN_PROGRESS meanwhile) and then finishes
/// its decided transactions; resigning drops its ids and stops their marker sends without writing anything.
/// </summary>
internal sealed partial class TransactionCoordinator : IPartitionLeadershipListener
{
    public void OnBecameLeader(TopicPartition partition, int leaderEpoch)
    {
        if (partition.Topic == TransactionStateTopic.Name)
        {
            _ = BecomeLeaderAsync(partition.Partition, leaderEpoch);
        }
    }

    public void OnResigned(TopicPartition partition, int leaderEpoch)
    {
        if (partition.Topic == TransactionStateTopic.Name)
        {
            Resign(partition.Partition, leaderEpoch);
        }
    }

    /// <summary>Starts loading the partition unless the event is stale or it is led here already; the task ends with the load.</summary>
    internal Task BecomeLeaderAsync(int partition, int leaderEpoch) => _partitions.BecomeLeaderAsync(partition, leaderEpoch, LoadPartition);

    internal void Resign(int partition, int leaderEpoch)
    {
        if (_partitions.Resign(partition, leaderEpoch, () => DropPartition(partition)))
        {
            TransactionLog.Resigned(_logger, partition, leaderEpoch);
        }
    }

    /// <summary>Completes when every load started so far has ended (start-up waits on it before serving).</summary>
    internal Task WhenLoadedAsync() => _partitions.WhenLoadedAsync();

    /// <summary>The coordinator epoch markers for the id carry: its partition's leader epoch, -1 when not led here.</summary>
    private int CoordinatorEpochOf(string transactionalId) => _partitions.EpochOf(_log.PartitionFor(transactionalId));

    private void LoadPartition(int partition, int leaderEpoch, CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var loaded = Replay(_log.Read(partition), token);
            if (!_partitions.CompleteLoad(partition, () => Install(partition, loaded), token))
            {
                return;
            }
            TransactionLog.PartitionLoaded(_logger, partition, leaderEpoch, loaded.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            foreach (var txn in loaded.Values)
            {
                lock (txn)
                {
                    WriteMarkers(txn);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            TransactionLog.LoadCancelled(_logger, partition, leaderEpoch);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or Protocol.Primitives.MalformedMessageException)
        {
            // The partition stays loading (retriable for clients) until its leadership moves again.
            TransactionLog.LoadFailed(_logger, partition, leaderEpoch, ex.Message);
        }
    }

    private void Install(int partition, Dictionary<string, TransactionMetadata> loaded)
    {
        DropPartition(partition);
        foreach (var (transactionalId, txn) in loaded)
        {
            _transactions[transactionalId] = txn;
        }
    }

    private void DropPartition(int partition)
    {
        foreach (var txn in _transactions.Values)
        {
            if (_log.PartitionFor(txn.TransactionalId) == partition)
            {
                _transactions.TryRemove(new KeyValuePair<string, TransactionMetadata>(txn.TransactionalId, txn));
            }
        }
    }
}
