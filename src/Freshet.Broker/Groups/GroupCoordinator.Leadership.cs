using System.Diagnostics;
using Freshet.Broker.Diagnostics;
using Freshet.Broker.Replication;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Groups;

/// <summary>
/// The coordinator follows the leadership of the __consumer_offsets partitions, as Kafka's coordinator runtime
/// loads and unloads them: becoming leader of a partition loads its groups in the background (their requests get
/// COORDINATOR_LOAD_IN_PROGRESS meanwhile), resigning drops them without writing anything (NOT_COORDINATOR from
/// then on). A resign during a load cancels the load.
/// </summary>
internal sealed partial class GroupCoordinator : IPartitionLeadershipListener
{
    /// <summary>Transaction markers written to a partition while it loads, applied once its groups are installed.</summary>
    private readonly Dictionary<int, List<(long ProducerId, bool Commit)>> _completionsWhileLoading = [];

    public void OnBecameLeader(TopicPartition partition, int leaderEpoch)
    {
        if (partition.Topic == OffsetsTopic.Name)
        {
            _ = BecomeLeaderAsync(partition.Partition, leaderEpoch);
        }
    }

    public void OnResigned(TopicPartition partition, int leaderEpoch)
    {
        if (partition.Topic == OffsetsTopic.Name)
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
            GroupLog.Resigned(_logger, partition, leaderEpoch);
        }
    }

    /// <summary>Completes when every load started so far has ended (start-up waits on it before serving).</summary>
    internal Task WhenLoadedAsync() => _partitions.WhenLoadedAsync();

    private void LoadPartition(int partition, int leaderEpoch, CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var loaded = Replay(_store.Read(partition), token);
            if (_partitions.CompleteLoad(partition, () => Install(partition, loaded), token))
            {
                GroupLog.PartitionLoaded(_logger, partition, leaderEpoch, loaded.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            GroupLog.LoadCancelled(_logger, partition, leaderEpoch);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or Protocol.Primitives.MalformedMessageException)
        {
            // The partition stays loading (retriable for clients) until its leadership moves again.
            GroupLog.LoadFailed(_logger, partition, leaderEpoch, ex.Message);
        }
    }

    /// <summary>Adopts the loaded groups of the partition (under the partitions' lock, so no resign interleaves).</summary>
    private void Install(int partition, Dictionary<string, Group> loaded)
    {
        RemoveGroupsOf(partition, ErrorCode.NotCoordinator);
        foreach (var (groupId, group) in loaded)
        {
            _groups[groupId] = group;
        }
        if (_completionsWhileLoading.Remove(partition, out var completions))
        {
            foreach (var (producerId, commit) in completions)
            {
                CompleteLoadedTransaction(producerId, partition, commit);
            }
        }
    }

    private void DropPartition(int partition)
    {
        _completionsWhileLoading.Remove(partition);
        RemoveGroupsOf(partition, ErrorCode.NotCoordinator);
    }

    /// <summary>Forgets the groups of the partition; members waiting on a join or sync are told to find the coordinator again.</summary>
    private void RemoveGroupsOf(int partition, ErrorCode error)
    {
        var now = Now;
        foreach (var group in _groups.Values)
        {
            if (_store.PartitionFor(group.GroupId) != partition)
            {
                continue;
            }
            lock (group)
            {
                foreach (var member in group.Members)
                {
                    member.CompleteJoin(JoinError(error, member.MemberId));
                    member.CompleteSync(new SyncGroupResponse { ErrorCode = (short)error });
                }
                group.TransitionTo(GroupState.Dead, now);
            }
            Forget(group);
        }
    }

    /// <summary>None when this broker coordinates the group now, else NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS.</summary>
    private ErrorCode CoordinatorStatus(string groupId) => _partitions.StatusOf(_store.PartitionFor(groupId));
}
