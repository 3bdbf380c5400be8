using Freshet.Broker.Coordination;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Groups;

/// <summary>
/// TxnOffsetCommit and the end of transactions: offsets a producer commits in a transaction are written to
/// __consumer_offsets as its transactional batch and kept pending until the transaction's marker is written to
/// the group's partition; COMMIT makes them the committed offsets, ABORT drops them.
/// </summary>
internal sealed partial class GroupCoordinator
{
    /// <summary>
    /// TxnOffsetCommit: the offsets are written as the producer's transactional batch and held pending, answered once
    /// every in-sync replica has them; a write that fails holds nothing.
    /// </summary>
    public ValueTask<IReadOnlyList<ErrorCode>> CommitTransactionalAsync(
        string groupId, long producerId, short producerEpoch, int generationId, string memberId, string? groupInstanceId, IReadOnlyList<OffsetCommitEntry> entries)
    {
        var errors = new ErrorCode[entries.Count];
        var groupError = TxnCommitGroup(groupId, out var group);
        if (groupError != ErrorCode.None || group is null)
        {
            Array.Fill(errors, groupError);
            return ValueTask.FromResult<IReadOnlyList<ErrorCode>>(errors);
        }
        var timestamp = Now.ToUnixTimeMilliseconds();
        List<(TopicPartition Partition, CommittedOffset Offset)> pending = [];
        return DurableChange.ApplyAsync<IReadOnlyList<ErrorCode>>(
            group,
            () =>
            {
                groupError = TxnCommitCheck(group, generationId, memberId, groupInstanceId);
                if (groupError != ErrorCode.None)
                {
                    Array.Fill(errors, groupError);
                    return Appended<IReadOnlyList<ErrorCode>>.Refused(errors);
                }
                (var records, pending) = OffsetRecords(groupId, entries, timestamp, errors);
                return Appended<IReadOnlyList<ErrorCode>>.Written(_store.AppendTransactional(groupId, records, timestamp, producerId, producerEpoch));
            },
            (_, outcome) => HoldPending(group, producerId, outcome, pending, errors));
    }

    /// <summary>Holds durable transactional offsets until the transaction's marker. Caller holds the lock.</summary>
    private static ErrorCode[] HoldPending(Group group, long producerId, ErrorCode outcome, List<(TopicPartition Partition, CommittedOffset Offset)> pending, ErrorCode[] errors)
    {
        FillErrors(errors, outcome);
        if (outcome != ErrorCode.None || pending.Count == 0)
        {
            return errors;
        }
        if (!group.PendingTransactionalOffsets.TryGetValue(producerId, out var byPartition))
        {
            group.PendingTransactionalOffsets[producerId] = byPartition = [];
        }
        foreach (var (partition, offset) in pending)
        {
            byPartition[partition] = offset;
        }
        return errors;
    }

    /// <summary>
    /// A transaction marker was written to a __consumer_offsets partition: the producer's pending offsets of every
    /// group on that partition become committed (COMMIT) or are dropped (ABORT).
    /// </summary>
    public void CompleteTransaction(long producerId, int offsetsPartition, bool commit)
    {
        // A partition still loading may have read its log before this marker: the completion waits for the install.
        var queued = _partitions.RunIfLoading(offsetsPartition, () =>
        {
            if (!_completionsWhileLoading.TryGetValue(offsetsPartition, out var completions))
            {
                _completionsWhileLoading[offsetsPartition] = completions = [];
            }
            completions.Add((producerId, commit));
        });
        if (!queued)
        {
            CompleteLoadedTransaction(producerId, offsetsPartition, commit);
        }
    }

    private void CompleteLoadedTransaction(long producerId, int offsetsPartition, bool commit)
    {
        foreach (var group in _groups.Values)
        {
            if (_store.PartitionFor(group.GroupId) != offsetsPartition)
            {
                continue;
            }
            lock (group)
            {
                if (!group.PendingTransactionalOffsets.Remove(producerId, out var pending) || !commit)
                {
                    continue;
                }
                foreach (var (partition, offset) in pending)
                {
                    group.Offsets[partition] = offset;
                }
            }
        }
    }

    /// <summary>The partitions of the group with offsets of a transaction still open (OffsetFetch's require_stable).</summary>
    public HashSet<TopicPartition> UnstablePartitions(string groupId)
    {
        var unstable = new HashSet<TopicPartition>();
        if (!_groups.TryGetValue(groupId, out var group))
        {
            return unstable;
        }
        lock (group)
        {
            foreach (var pending in group.PendingTransactionalOffsets.Values)
            {
                unstable.UnionWith(pending.Keys);
            }
        }
        return unstable;
    }

    private ErrorCode TxnCommitGroup(string groupId, out Group? group)
    {
        group = null;
        if (CoordinatorStatus(groupId) is var status and not ErrorCode.None)
        {
            return status;
        }
        if (groupId.Length == 0)
        {
            return ErrorCode.InvalidGroupId;
        }
        // As Kafka does, a transactional commit creates the group when it does not exist.
        group = GetOrCreate(groupId);
        return ErrorCode.None;
    }

    // Kafka's checks for TxnOffsetCommit: membership and generation when given, no check of a rebalance in progress.
    private static ErrorCode TxnCommitCheck(Group group, int generationId, string memberId, string? groupInstanceId)
    {
        if (group.State == GroupState.Dead)
        {
            return ErrorCode.CoordinatorNotAvailable;
        }
        if (IsFenced(group, memberId, groupInstanceId))
        {
            return ErrorCode.FencedInstanceId;
        }
        if (memberId.Length > 0 && !group.Has(memberId))
        {
            return ErrorCode.UnknownMemberId;
        }
        if (generationId >= 0 && generationId != group.GenerationId)
        {
            return ErrorCode.IllegalGeneration;
        }
        return ErrorCode.None;
    }
}
