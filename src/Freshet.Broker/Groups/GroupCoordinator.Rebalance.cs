using Freshet.Protocol.Messages;

namespace Freshet.Broker.Groups;

/// <summary>The transitions every API shares: start a rebalance, finish the join phase, remove a member.</summary>
internal sealed partial class GroupCoordinator
{
    private void PrepareRebalance(Group group, DateTimeOffset now, string reason)
    {
        if (group.State == GroupState.CompletingRebalance)
        {
            // The assignment being synced is for a generation that will not be: tell the waiters to rejoin.
            foreach (var member in group.Members)
            {
                member.Assignment = ReadOnlyMemory<byte>.Empty;
                member.CompleteSync(new SyncGroupResponse { ErrorCode = (short)ErrorCode.RebalanceInProgress });
            }
        }
        var wasEmpty = group.State == GroupState.Empty;
        group.TransitionTo(GroupState.PreparingRebalance, now);
        group.JoinDeadline = now + TimeSpan.FromMilliseconds(group.MaxRebalanceTimeoutMs);
        if (wasEmpty && _options.InitialRebalanceDelay > TimeSpan.Zero)
        {
            // A new group waits a little for the rest of its members, so they start with one rebalance, not many.
            group.InitialDelayDeadline = Min(now + _options.InitialRebalanceDelay, group.JoinDeadline);
            group.MembersAtDelayStart = group.MemberCount;
        }
        else
        {
            group.InitialDelayDeadline = null;
        }
        Diagnostics.GroupLog.Rebalancing(_logger, group.GroupId, group.GenerationId, reason);
    }

    private void MaybePrepareRebalance(Group group, DateTimeOffset now, string reason)
    {
        if (group.State is GroupState.Stable or GroupState.CompletingRebalance or GroupState.Empty)
        {
            PrepareRebalance(group, now, reason);
        }
    }

    private void TryCompleteJoin(Group group, DateTimeOffset now)
    {
        if (group.State == GroupState.PreparingRebalance && group.InitialDelayDeadline is null && (group.AllMembersJoined || now >= group.JoinDeadline))
        {
            CompleteJoin(group, now);
        }
    }

    /// <summary>
    /// Ends the join phase: dynamic members that did not rejoin are dropped (static ones keep
    /// their place until their session ends), the next generation starts, a protocol is voted,
    /// and every waiting JoinGroup is answered; the leader gets everyone's metadata.
    /// </summary>
    private void CompleteJoin(Group group, DateTimeOffset now)
    {
        foreach (var member in group.Members.Where(m => !m.IsAwaitingJoin && !m.IsStatic).ToList())
        {
            group.Remove(member.MemberId);
        }
        group.InitialDelayDeadline = null;
        group.GenerationId++;
        if (group.MemberCount == 0)
        {
            group.ProtocolName = null;
            group.LeaderId = null;
            group.TransitionTo(GroupState.Empty, now);
            _ = StoreGroupMetadata(group, now);
            return;
        }
        group.ProtocolName = group.SelectProtocol();
        if (group.LeaderId is null || !group.Has(group.LeaderId))
        {
            group.LeaderId = group.Members.First().MemberId;
        }
        group.TransitionTo(GroupState.CompletingRebalance, now);
        group.SyncDeadline = now + TimeSpan.FromMilliseconds(group.MaxRebalanceTimeoutMs);
        foreach (var member in group.Members.ToList())
        {
            member.SessionDeadline = now + TimeSpan.FromMilliseconds(member.SessionTimeoutMs);
            member.CompleteJoin(CurrentJoinResponse(group, member.MemberId, group.IsLeader(member.MemberId)));
        }
        Diagnostics.GroupLog.Stabilizing(_logger, group.GroupId, group.GenerationId, group.ProtocolName, group.MemberCount);
    }

    private static JoinGroupResponse CurrentJoinResponse(Group group, string memberId, bool withMembers, bool skipAssignment = false)
    {
        var response = new JoinGroupResponse
        {
            GenerationId = group.GenerationId,
            ProtocolType = group.ProtocolType,
            ProtocolName = group.ProtocolName,
            Leader = group.LeaderId ?? "",
            MemberId = memberId,
            SkipAssignment = skipAssignment,
        };
        if (withMembers)
        {
            foreach (var m in group.Members)
            {
                response.Members.Add(new JoinGroupResponse.JoinGroupResponseMember
                {
                    MemberId = m.MemberId,
                    GroupInstanceId = m.GroupInstanceId,
                    Metadata = m.MetadataFor(group.ProtocolName!),
                });
            }
        }
        return response;
    }

    /// <summary>Removes a member (left, expired or fenced) and lets the rest of the group rebalance.</summary>
    private void RemoveMemberAndUpdateGroup(Group group, GroupMember member, DateTimeOffset now, string reason)
    {
        member.CompleteJoin(JoinError(ErrorCode.UnknownMemberId, member.MemberId));
        member.CompleteSync(new SyncGroupResponse { ErrorCode = (short)ErrorCode.UnknownMemberId });
        group.Remove(member.MemberId);
        Diagnostics.GroupLog.MemberRemoved(_logger, group.GroupId, member.MemberId, reason);
        switch (group.State)
        {
            case GroupState.Stable or GroupState.CompletingRebalance:
                PrepareRebalance(group, now, reason);
                TryCompleteJoin(group, now);
                break;
            case GroupState.PreparingRebalance:
                TryCompleteJoin(group, now);
                break;
        }
    }

    private static JoinGroupResponse JoinError(ErrorCode error, string memberId = "") => new()
    {
        ErrorCode = (short)error,
        MemberId = memberId,
        GenerationId = -1,
        ProtocolName = null,
        Leader = "",
    };

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
