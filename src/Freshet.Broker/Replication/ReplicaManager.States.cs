using Freshet.Broker.Diagnostics;
using Freshet.Protocol.Primitives;
using Freshet.Storage;
using Freshet.Storage.IO;

namespace Freshet.Broker.Replication;

internal sealed partial class ReplicaManager
{
    /// <summary>How many leader-epoch checkpoints are written at once when many partitions start to be led here.</summary>
    private const int EpochWriteParallelism = 32;

    /// <summary>
    /// Applies partition states from the metadata image: each partition whose replicas include this broker gets
    /// its log (created when missing) and becomes leader or follower of the state's leader. States older than the
    /// partition's leader epoch are ignored. Leadership listeners hear of every leadership gained and lost.
    /// </summary>
    public void ApplyPartitionStates(IReadOnlyList<PartitionStateChange> changes)
    {
        var local = LocalBrokerId;
        CreateMissingLogs(changes, local);
        RecordNewLeaderEpochs(changes, local);
        foreach (var change in changes)
        {
            if (!change.State.Replicas.Contains(local) || !_logs.TryGetLog(change.Id, out var log))
            {
                continue;
            }
            log.Config = change.Config;
            var partition = _partitions.GetOrAdd(change.Id, id => NewPartition(id, log));
            partition.MinInSyncReplicas = change.MinInSyncReplicas;
            switch (partition.ApplyState(change.State))
            {
                case RoleChange.BecameLeader:
                    _fetchers?.Stop(change.Id);
                    ReplicationLog.BecameLeader(_logger, change.Id.Topic, change.Id.Partition, partition.LeaderEpoch, partition.LeaderEpochStartOffset);
                    foreach (var listener in Volatile.Read(ref _listeners))
                    {
                        listener.OnBecameLeader(change.Id, partition.LeaderEpoch);
                    }
                    break;
                case RoleChange.Resigned:
                    foreach (var listener in Volatile.Read(ref _listeners))
                    {
                        listener.OnResigned(change.Id, partition.LeaderEpoch);
                    }
                    Follow(partition);
                    break;
                case RoleChange.FollowsNewLeader:
                    Follow(partition);
                    break;
            }
        }
    }

    /// <summary>Stops hosting the partitions (reassigned away or deleted); their logs go too when <paramref name="deleteLogs"/>.</summary>
    public void RemovePartitions(IReadOnlyList<TopicPartition> ids, bool deleteLogs)
    {
        foreach (var id in ids)
        {
            _fetchers?.Stop(id);
            if (_partitions.TryRemove(id, out var partition))
            {
                var wasLeader = partition.IsLeader;
                partition.Close();
                if (wasLeader)
                {
                    foreach (var listener in Volatile.Read(ref _listeners))
                    {
                        listener.OnResigned(id, partition.LeaderEpoch);
                    }
                }
            }
            if (deleteLogs && _logs.TryGetLog(id, out _))
            {
                _logs.DeleteLog(id);
            }
        }
    }

    private void Follow(Partition partition)
    {
        ReplicationLog.BecameFollower(_logger, partition.Id.Topic, partition.Id.Partition, partition.LeaderId, partition.LeaderEpoch);
        var fetchers = _fetchers ?? throw new InvalidOperationException("A partition follows another broker before the broker joined a cluster (UseCluster).");
        if (partition.LeaderId < 0)
        {
            fetchers.Stop(partition.Id);
        }
        else
        {
            fetchers.Follow(partition);
        }
    }

    /// <summary>
    /// Writes the leader-epoch checkpoints of the partitions this broker starts to host as leader, all at once, before
    /// they are made leaders one by one: each write is an fsynced replace of a small file, and thousands of them in
    /// a row (a large CreateTopics, a start-up) would wait for as many journal commits. Becoming leader then finds
    /// the epoch recorded at the same start offset and writes nothing. Only partitions not hosted yet qualify: no
    /// fetcher appends to their logs, so the log end offset read here is the one becoming leader reads.
    /// </summary>
    private void RecordNewLeaderEpochs(IReadOnlyList<PartitionStateChange> changes, int local)
    {
        List<(PartitionLog Log, int Epoch)>? pending = null;
        foreach (var change in changes)
        {
            if (change.State.Leader == local && !_partitions.ContainsKey(change.Id)
                && _logs.TryGetLog(change.Id, out var log) && log.LatestEpoch < change.State.LeaderEpoch)
            {
                (pending ??= []).Add((log, change.State.LeaderEpoch));
            }
        }
        if (pending is null)
        {
            return;
        }
        // A failure (an offline log dir) is left to becoming leader, which writes the same checkpoint again and
        // handles the error there as it would without this step.
        _ = BlockingParallel.For(pending.Count, EpochWriteParallelism, i => pending[i].Log.AssignEpochStartOffset(pending[i].Epoch, pending[i].Log.LogEndOffset));
    }

    private void CreateMissingLogs(IReadOnlyList<PartitionStateChange> changes, int local)
    {
        Dictionary<KafkaUuid, (List<TopicPartition> Ids, LogConfig Config)>? missing = null;
        foreach (var change in changes)
        {
            if (change.State.Replicas.Contains(local) && !_logs.TryGetLog(change.Id, out _))
            {
                missing ??= [];
                if (!missing.TryGetValue(change.TopicId, out var group))
                {
                    group = ([], change.Config);
                    missing.Add(change.TopicId, group);
                }
                group.Ids.Add(change.Id);
            }
        }
        if (missing is null)
        {
            return;
        }
        // One call per topic, so that the log manager creates the directories in parallel.
        foreach (var (topicId, group) in missing)
        {
            _logs.CreateLogs(group.Ids, topicId, group.Config);
        }
    }
}
