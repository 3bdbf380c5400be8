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
    /// left with neither members nor offsets is removed.
    /// </summary>
    private void ExpireOffsets(DateTimeOffset now)
    {
        foreach (var group in _groups.Values)
        {
            lock (group)
            {
                if (group.State != GroupState.Empty)
                {
                    continue;
                }
                var emptySince = group.StateChangedAt.ToUnixTimeMilliseconds();
                var cutoff = (now - _options.OffsetsRetention).ToUnixTimeMilliseconds();
                var expired = group.Offsets
                    .Where(o => Math.Max(o.Value.CommitTimestamp, emptySince) <= cutoff)
                    .Select(o => o.Key)
                    .ToList();
                if (expired.Count > 0)
                {
                    var tombstones = expired.Select(tp => (GroupRecords.OffsetKey(group.GroupId, tp), (byte[]?)null)).ToList();
                    if (Store(group, tombstones, now).Error != Protocol.Messages.ErrorCode.None)
                    {
                        continue;
                    }
                    foreach (var tp in expired)
                    {
                        group.Offsets.Remove(tp);
                    }
                    Diagnostics.GroupLog.OffsetsExpired(_logger, group.GroupId, expired.Count);
                }
                if (group.Offsets.Count == 0 && group.MemberCount == 0 && group.PendingTransactionalOffsets.Count == 0)
                {
                    if (Store(group, [(GroupRecords.GroupKey(group.GroupId), null)], now).Error == Protocol.Messages.ErrorCode.None)
                    {
                        group.TransitionTo(GroupState.Dead, now);
                        Forget(group);
                    }
                }
            }
        }
    }
}
