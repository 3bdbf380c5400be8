using Freshet.Protocol.Messages;

namespace Freshet.Broker.Groups;

/// <summary>Heartbeat keeps a session alive and tells a member when to rejoin; LeaveGroup removes members.</summary>
internal sealed partial class GroupCoordinator
{
    public ErrorCode Heartbeat(string groupId, int generationId, string memberId, string? groupInstanceId)
    {
        if (CoordinatorStatus(groupId) is var status and not ErrorCode.None)
        {
            return status;
        }
        if (!_groups.TryGetValue(groupId, out var group))
        {
            return ErrorCode.UnknownMemberId;
        }
        var now = Now;
        lock (group)
        {
            if (group.State == GroupState.Dead)
            {
                return ErrorCode.CoordinatorNotAvailable;
            }
            if (IsFenced(group, memberId, groupInstanceId))
            {
                return ErrorCode.FencedInstanceId;
            }
            if (!group.TryGet(memberId, out var member))
            {
                return ErrorCode.UnknownMemberId;
            }
            if (generationId != group.GenerationId)
            {
                return ErrorCode.IllegalGeneration;
            }
            member.SessionDeadline = now + TimeSpan.FromMilliseconds(member.SessionTimeoutMs);
            return group.State switch
            {
                GroupState.PreparingRebalance => ErrorCode.RebalanceInProgress,
                GroupState.Empty => ErrorCode.UnknownMemberId,
                _ => ErrorCode.None,
            };
        }
    }

    /// <summary>One leaving member: by member id, or by instance id for static members (v3+).</summary>
    internal readonly record struct LeavingMember(string MemberId, string? GroupInstanceId);

    /// <summary>Removes each member; the per-member errors come back in order.</summary>
    public IReadOnlyList<ErrorCode> Leave(string groupId, IReadOnlyList<LeavingMember> leaving)
    {
        var errors = new ErrorCode[leaving.Count];
        var status = CoordinatorStatus(groupId);
        if (status != ErrorCode.None || !_groups.TryGetValue(groupId, out var group))
        {
            Array.Fill(errors, status != ErrorCode.None ? status : ErrorCode.UnknownMemberId);
            return errors;
        }
        var now = Now;
        lock (group)
        {
            for (var i = 0; i < leaving.Count; i++)
            {
                errors[i] = group.State == GroupState.Dead ? ErrorCode.CoordinatorNotAvailable : LeaveOne(group, leaving[i], now);
            }
        }
        return errors;
    }

    private ErrorCode LeaveOne(Group group, LeavingMember leaving, DateTimeOffset now)
    {
        string memberId;
        if (leaving.GroupInstanceId is { } instanceId)
        {
            if (group.StaticMemberId(instanceId) is not { } staticId)
            {
                return ErrorCode.UnknownMemberId;
            }
            if (leaving.MemberId.Length > 0 && leaving.MemberId != staticId)
            {
                return ErrorCode.FencedInstanceId;
            }
            memberId = staticId;
        }
        else
        {
            memberId = leaving.MemberId;
            if (group.PendingMembers.Remove(memberId))
            {
                TryCompleteJoin(group, now);
                return ErrorCode.None;
            }
        }
        if (!group.TryGet(memberId, out var member))
        {
            return ErrorCode.UnknownMemberId;
        }
        RemoveMemberAndUpdateGroup(group, member, now, "member left");
        return ErrorCode.None;
    }
}
