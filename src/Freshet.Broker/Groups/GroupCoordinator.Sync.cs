using Freshet.Protocol.Messages;

namespace Freshet.Broker.Groups;

/// <summary>SyncGroup: the leader's assignment is stored, then handed to every member.</summary>
internal sealed partial class GroupCoordinator
{
    public Task<SyncGroupResponse> SyncAsync(
        string groupId,
        int generationId,
        string memberId,
        string? groupInstanceId,
        string? protocolType,
        string? protocolName,
        IReadOnlyDictionary<string, ReadOnlyMemory<byte>> assignments)
    {
        if (CoordinatorStatus(groupId) is var status and not ErrorCode.None)
        {
            return SyncError(status);
        }
        if (!_groups.TryGetValue(groupId, out var group))
        {
            return SyncError(ErrorCode.UnknownMemberId);
        }
        var now = Now;
        lock (group)
        {
            if (group.State == GroupState.Dead)
            {
                return SyncError(ErrorCode.CoordinatorNotAvailable);
            }
            if (IsFenced(group, memberId, groupInstanceId))
            {
                return SyncError(ErrorCode.FencedInstanceId);
            }
            if (!group.TryGet(memberId, out var member))
            {
                return SyncError(ErrorCode.UnknownMemberId);
            }
            if (generationId != group.GenerationId)
            {
                return SyncError(ErrorCode.IllegalGeneration);
            }
            if ((protocolType is not null && protocolType != group.ProtocolType) || (protocolName is not null && protocolName != group.ProtocolName))
            {
                return SyncError(ErrorCode.InconsistentGroupProtocol);
            }
            member.SessionDeadline = now + TimeSpan.FromMilliseconds(member.SessionTimeoutMs);
            switch (group.State)
            {
                case GroupState.Empty:
                    return SyncError(ErrorCode.UnknownMemberId);
                case GroupState.PreparingRebalance:
                    return SyncError(ErrorCode.RebalanceInProgress);
                case GroupState.Stable:
                    return Task.FromResult(SyncResult(group, member));
            }
            member.CompleteSync(new SyncGroupResponse { ErrorCode = (short)ErrorCode.RebalanceInProgress });
            var waiter = new TaskCompletionSource<SyncGroupResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            member.AwaitingSync = waiter;
            if (group.IsLeader(memberId))
            {
                CompleteSync(group, assignments, now);
            }
            return waiter.Task;
        }
    }

    private void CompleteSync(Group group, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> assignments, DateTimeOffset now)
    {
        foreach (var member in group.Members)
        {
            member.Assignment = assignments.TryGetValue(member.MemberId, out var assignment) ? assignment.ToArray() : ReadOnlyMemory<byte>.Empty;
        }
        var stored = StoreGroupMetadata(group, now);
        if (stored != ErrorCode.None)
        {
            // Nobody gets an assignment that was not stored; the group starts over.
            foreach (var member in group.Members)
            {
                member.Assignment = ReadOnlyMemory<byte>.Empty;
                member.CompleteSync(new SyncGroupResponse { ErrorCode = (short)stored });
            }
            PrepareRebalance(group, now, "storing the assignment failed");
            return;
        }
        group.TransitionTo(GroupState.Stable, now);
        foreach (var member in group.Members)
        {
            member.CompleteSync(SyncResult(group, member));
        }
        Diagnostics.GroupLog.Stable(_logger, group.GroupId, group.GenerationId, group.MemberCount);
    }

    private static SyncGroupResponse SyncResult(Group group, GroupMember member) => new()
    {
        ProtocolType = group.ProtocolType,
        ProtocolName = group.ProtocolName,
        Assignment = member.Assignment,
    };

    private static Task<SyncGroupResponse> SyncError(ErrorCode error) =>
        Task.FromResult(new SyncGroupResponse { ErrorCode = (short)error });

    /// <summary>A static member's instance id now belongs to a newer member id: this one was replaced.</summary>
    private static bool IsFenced(Group group, string memberId, string? groupInstanceId) =>
        groupInstanceId is not null && group.StaticMemberId(groupInstanceId) is { } current && current != memberId;
}
