using Freshet.Broker.Coordination;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Groups;

/// <summary>JoinGroup: Kafka's GroupCoordinator.handleJoinGroup for the classic protocol.</summary>
internal sealed partial class GroupCoordinator
{
    public Task<JoinGroupResponse> JoinAsync(JoinGroupCall call)
    {
        if (CoordinatorStatus(call.GroupId) is var status and not ErrorCode.None)
        {
            return Task.FromResult(JoinError(status, call.MemberId));
        }
        if (call.GroupId.Length == 0)
        {
            return Task.FromResult(JoinError(ErrorCode.InvalidGroupId, call.MemberId));
        }
        if (call.SessionTimeoutMs < _options.MinSessionTimeoutMs || call.SessionTimeoutMs > _options.MaxSessionTimeoutMs)
        {
            return Task.FromResult(JoinError(ErrorCode.InvalidSessionTimeout, call.MemberId));
        }
        var isUnknown = call.MemberId.Length == 0;
        Group? group;
        if (isUnknown)
        {
            group = GetOrCreate(call.GroupId);
        }
        else if (!_groups.TryGetValue(call.GroupId, out group))
        {
            return Task.FromResult(JoinError(ErrorCode.UnknownMemberId, call.MemberId));
        }
        var now = Now;
        lock (group)
        {
            if (group.State == GroupState.Dead)
            {
                // Deleted while this request was on its way; the client looks the coordinator up again and retries.
                return Task.FromResult(JoinError(ErrorCode.CoordinatorNotAvailable, call.MemberId));
            }
            if (!group.SupportsProtocols(call.ProtocolType, call.Protocols))
            {
                return Task.FromResult(JoinError(ErrorCode.InconsistentGroupProtocol, call.MemberId));
            }
            var isStaticRejoin = call.GroupInstanceId is { } instance && group.StaticMemberId(instance) is not null;
            var isNewMember = isUnknown || group.PendingMembers.ContainsKey(call.MemberId);
            if (isNewMember && !isStaticRejoin && group.MemberCount >= _options.MaxSize)
            {
                return Task.FromResult(JoinError(ErrorCode.GroupMaxSizeReached, call.MemberId));
            }
            return isUnknown ? JoinUnknownMember(group, call, now) : JoinKnownMember(group, call, now);
        }
    }

    private Task<JoinGroupResponse> JoinUnknownMember(Group group, JoinGroupCall call, DateTimeOffset now)
    {
        // Kafka's member ids: the client id (or the instance id for static members) and a UUID.
        var newMemberId = $"{call.GroupInstanceId ?? call.ClientId}-{Guid.NewGuid()}";
        if (call.GroupInstanceId is { } instanceId)
        {
            if (group.StaticMemberId(instanceId) is { } oldMemberId && group.TryGet(oldMemberId, out var existing))
            {
                return RejoinStaticMember(group, existing, newMemberId, call, now);
            }
            return AddMemberAndRebalance(group, newMemberId, call, now);
        }
        if (call.RequireKnownMemberId)
        {
            // v4+: hand out the id first, so a member that times out and retries does not leave a ghost behind.
            group.PendingMembers[newMemberId] = now + TimeSpan.FromMilliseconds(call.SessionTimeoutMs);
            return Task.FromResult(JoinError(ErrorCode.MemberIdRequired, newMemberId));
        }
        return AddMemberAndRebalance(group, newMemberId, call, now);
    }

    /// <summary>
    /// A static member came back under a new member id: it takes the old member's place. In a
    /// Stable group with unchanged protocols nothing moves; only a leader that cannot skip the
    /// assignment (JoinGroup before v9) makes the group rebalance.
    /// </summary>
    private Task<JoinGroupResponse> RejoinStaticMember(Group group, GroupMember member, string newMemberId, JoinGroupCall call, DateTimeOffset now)
    {
        var oldMemberId = member.MemberId;
        member.CompleteJoin(JoinError(ErrorCode.FencedInstanceId, oldMemberId));
        member.CompleteSync(new SyncGroupResponse { ErrorCode = (short)ErrorCode.FencedInstanceId });
        var unchanged = call.ProtocolType == member.ProtocolType && member.HasSameProtocols(call.Protocols);
        if (group.State == GroupState.Stable && unchanged)
        {
            var isLeader = group.IsLeader(oldMemberId);
            if (!isLeader || call.SupportsSkipAssignment)
            {
                return ReplaceStaticMemberAsync(group, member, newMemberId, call, now, isLeader).AsTask();
            }
        }
        group.ReplaceStaticMember(member, newMemberId);
        UpdateMember(member, call, now);
        member.Protocols = call.Protocols;
        member.ProtocolType = call.ProtocolType;
        return AwaitJoin(group, member, now, $"static member {call.GroupInstanceId} rejoined");
    }

    /// <summary>
    /// The static member takes its place under the new id in the group's metadata, answered once every in-sync replica
    /// has it; a write that fails puts the old id back (if the member is still there), as Kafka does, and the client
    /// gets the error. Caller holds the lock.
    /// </summary>
    private ValueTask<JoinGroupResponse> ReplaceStaticMemberAsync(Group group, GroupMember member, string newMemberId, JoinGroupCall call, DateTimeOffset now, bool isLeader)
    {
        var oldMemberId = member.MemberId;
        var (clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs) = (member.ClientId, member.ClientHost, member.SessionTimeoutMs, member.RebalanceTimeoutMs);
        group.ReplaceStaticMember(member, newMemberId);
        UpdateMember(member, call, now);
        return DurableChange.ApplyAsync(
            group,
            () => Appended<JoinGroupResponse>.Written(StoreGroupMetadata(group, now)),
            (_, stored) =>
            {
                if (stored != ErrorCode.None)
                {
                    if (group.TryGet(newMemberId, out var current) && ReferenceEquals(current, member))
                    {
                        group.ReplaceStaticMember(member, oldMemberId);
                        (member.ClientId, member.ClientHost, member.SessionTimeoutMs, member.RebalanceTimeoutMs) = (clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs);
                    }
                    return JoinError(stored, "");
                }
                Diagnostics.GroupLog.StaticMemberReplaced(_logger, group.GroupId, call.GroupInstanceId!, oldMemberId, newMemberId);
                return CurrentJoinResponse(group, newMemberId, withMembers: isLeader, skipAssignment: isLeader);
            });
    }

    private Task<JoinGroupResponse> AddMemberAndRebalance(Group group, string memberId, JoinGroupCall call, DateTimeOffset now)
    {
        group.PendingMembers.Remove(memberId);
        var member = new GroupMember(memberId, call.GroupInstanceId, call.ClientId, call.ClientHost)
        {
            ProtocolType = call.ProtocolType,
            Protocols = call.Protocols,
        };
        UpdateMember(member, call, now);
        group.Add(member);
        return AwaitJoin(group, member, now, $"member {memberId} joined");
    }

    private Task<JoinGroupResponse> JoinKnownMember(Group group, JoinGroupCall call, DateTimeOffset now)
    {
        if (call.GroupInstanceId is { } instanceId && group.StaticMemberId(instanceId) is { } staticId && staticId != call.MemberId)
        {
            return Task.FromResult(JoinError(ErrorCode.FencedInstanceId, call.MemberId));
        }
        if (group.PendingMembers.ContainsKey(call.MemberId))
        {
            return AddMemberAndRebalance(group, call.MemberId, call, now);
        }
        if (!group.TryGet(call.MemberId, out var member))
        {
            return Task.FromResult(JoinError(ErrorCode.UnknownMemberId, call.MemberId));
        }
        UpdateMember(member, call, now);
        var unchanged = member.HasSameProtocols(call.Protocols);
        switch (group.State)
        {
            case GroupState.PreparingRebalance:
                member.Protocols = call.Protocols;
                return AwaitJoin(group, member, now, "member rejoined");
            case GroupState.CompletingRebalance when unchanged:
                // The join response was lost: answer again with the same generation.
                return Task.FromResult(CurrentJoinResponse(group, member.MemberId, group.IsLeader(member.MemberId)));
            case GroupState.Stable when unchanged && !group.IsLeader(member.MemberId):
                return Task.FromResult(CurrentJoinResponse(group, member.MemberId, withMembers: false));
            case GroupState.CompletingRebalance or GroupState.Stable:
                member.Protocols = call.Protocols;
                return AwaitJoin(group, member, now, group.IsLeader(member.MemberId) ? "leader rejoined" : "member changed its protocols");
            default:
                return Task.FromResult(JoinError(ErrorCode.UnknownMemberId, call.MemberId));
        }
    }

    private static void UpdateMember(GroupMember member, JoinGroupCall call, DateTimeOffset now)
    {
        member.ClientId = call.ClientId;
        member.ClientHost = call.ClientHost;
        member.SessionTimeoutMs = call.SessionTimeoutMs;
        member.RebalanceTimeoutMs = call.RebalanceTimeoutMs;
        member.SessionDeadline = now + TimeSpan.FromMilliseconds(call.SessionTimeoutMs);
    }

    private Task<JoinGroupResponse> AwaitJoin(Group group, GroupMember member, DateTimeOffset now, string reason)
    {
        // A second JoinGroup from the same member replaces the first, whose client has given up on it.
        member.CompleteJoin(JoinError(ErrorCode.RebalanceInProgress, member.MemberId));
        var waiter = new TaskCompletionSource<JoinGroupResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        member.AwaitingJoin = waiter;
        MaybePrepareRebalance(group, now, reason);
        TryCompleteJoin(group, now);
        return waiter.Task;
    }
}
