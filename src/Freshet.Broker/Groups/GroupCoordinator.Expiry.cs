using Freshet.Broker.Coordination;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Groups;

/// <summary>
/// The deadlines Kafka keeps in its purgatories, checked on each tick: a new group's initial
/// delay, the rebalance timeout, the leader's sync timeout, member sessions, lapsed pending
/// member ids; and, less often, the retention of an empty group's offsets.
/// </summary>
internal sealed partial class GroupCoordinator
{
    private void ExpireDeadlines(Group group, DateTimeOffset now)
    {
        foreach (var (pendingId, deadline) in group.PendingMembers.ToList())
        {
            if (now >= deadline)
            {
                group.PendingMembers.Remove(pendingId);
                TryCompleteJoin(group, now);
            }
        }
        switch (group.State)
        {
            case GroupState.PreparingRebalance when group.InitialDelayDeadline is { } delayEnd:
                if (now >= delayEnd)
                {
                    if (group.MemberCount > group.MembersAtDelayStart && now < group.JoinDeadline)
                    {
                        // Someone joined during the delay: wait once more, within the rebalance timeout.
                        group.InitialDelayDeadline = Min(now + _options.InitialRebalanceDelay, group.JoinDeadline);
                        group.MembersAtDelayStart = group.MemberCount;
                    }
                    else
                    {
                        group.InitialDelayDeadline = null;
                        CompleteJoin(group, now);
                    }
                }
                break;
            case GroupState.PreparingRebalance when now >= group.JoinDeadline:
                CompleteJoin(group, now);
                break;
            case GroupState.CompletingRebalance when now >= group.SyncDeadline:
                // The leader never sent the assignment: drop whoever has not synced and start over.
                foreach (var member in group.Members.Where(m => !m.IsAwaitingSync).ToList())
                {
                    group.Remove(member.MemberId);
                }
                PrepareRebalance(group, now, "leader did not sync in time");
                TryCompleteJoin(group, now);
                break;
        }
        foreach (var member in group.Members.ToList())
        {
            // A member waiting on a join or sync is covered by the rebalance and sync timeouts instead.
            if (!member.IsAwaitingJoin && !member.IsAwaitingSync && now >= member.SessionDeadline && group.Has(member.MemberId))
            {
                RemoveMemberAndUpdateGroup(group, member, now, "session timed out");
            }
        }
    }

    /// <summary>
    /// Kafka's offsets.retention.minutes: once a group is empty, an offset expires that long after
    /// its commit (Kafka counts from when the group became empty when that is later). A group
    /// left with neither members nor offsets is removed. Both happen once every in-sync replica has the tombstones;
    /// a write that fails leaves the group as it was, to be tried again at the next check.
    /// </summary>
    private void ExpireOffsets(DateTimeOffset now)
    {
        List<Task>? replicating = null;
        foreach (var group in _groups.Values)
        {
            var write = ExpireOffsetsAsync(group, now);
            if (!write.IsCompletedSuccessfully)
            {
                (replicating ??= []).Add(write.AsTask());
            }
        }
        RetentionWrites = replicating is null ? Task.CompletedTask : Task.WhenAll(replicating);
    }

    /// <summary>The tombstones of the last retention check still on their way to the in-sync replicas, adopted once done.</summary>
    internal Task RetentionWrites { get; private set; } = Task.CompletedTask;

    private ValueTask<ErrorCode> ExpireOffsetsAsync(Group group, DateTimeOffset now)
    {
        var expired = new List<TopicPartition>();
        var removesGroup = false;
        return DurableChange.ApplyAsync(
            group,
            () =>
            {
                if (group.State != GroupState.Empty)
                {
                    return Appended<ErrorCode>.Refused(ErrorCode.None);
                }
                var emptySince = group.StateChangedAt.ToUnixTimeMilliseconds();
                var cutoff = (now - _options.OffsetsRetention).ToUnixTimeMilliseconds();
                var tombstones = new List<(byte[] Key, byte[]? Value)>();
                foreach (var (partition, offset) in group.Offsets)
                {
                    if (Math.Max(offset.CommitTimestamp, emptySince) <= cutoff)
                    {
                        tombstones.Add((GroupRecords.OffsetKey(group.GroupId, partition), null));
                        expired.Add(partition);
                    }
                }
                removesGroup = expired.Count == group.Offsets.Count && group.MemberCount == 0 && group.PendingTransactionalOffsets.Count == 0;
                if (removesGroup)
                {
                    tombstones.Add((GroupRecords.GroupKey(group.GroupId), null));
                }
                return tombstones.Count == 0 ? Appended<ErrorCode>.Refused(ErrorCode.None) : Appended<ErrorCode>.Written(Store(group, tombstones, now));
            },
            (write, outcome) =>
            {
                if (outcome != ErrorCode.None)
                {
                    return outcome;
                }
                RemoveOffsets(group, expired, write.LogOffset);
                if (expired.Count > 0)
                {
                    Diagnostics.GroupLog.OffsetsExpired(_logger, group.GroupId, expired.Count);
                }
                if (removesGroup && group.PendingTransactionalOffsets.Count == 0)
                {
                    RemoveIfEmpty(group, write.LogOffset);
                }
                return ErrorCode.None;
            });
    }
}
