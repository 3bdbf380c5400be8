using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Groups;

/// <summary>SyncGroup: the leader's assignment is stored on every in-sync replica, then handed to every member.</summary>
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

    /// <summary>
    /// The leader's assignment is written with the group's metadata; the members get it once every in-sync replica
    /// has the record, as Kafka answers SyncGroup. The group stays CompletingRebalance meanwhile. Caller holds the lock.
    /// </summary>
    private void CompleteSync(Group group, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> assignments, DateTimeOffset now)
    {
        foreach (var member in group.Members)
        {
            member.Assignment = assignments.TryGetValue(member.MemberId, out var assignment) ? assignment.ToArray() : ReadOnlyMemory<byte>.Empty;
        }
        var write = StoreGroupMetadata(group, now);
        if (write.TryGetOutcome(out var outcome))
        {
            FinishSync(group, outcome, now);
        }
        else
        {
            _ = FinishSyncWhenDurableAsync(group, group.GenerationId, write);
        }
    }

    private async Task FinishSyncWhenDurableAsync(Group group, int generationId, InternalWrite write)
    {
        var outcome = await write.DurableAsync().ConfigureAwait(false);
        lock (group)
        {
            // A member that left or joined meanwhile started another rebalance, which answered the waiting members.
            if (group.State == GroupState.CompletingRebalance && group.GenerationId == generationId)
            {
                FinishSync(group, outcome, Now);
            }
        }
    }

    /// <summary>Hands out the assignment once stored; nobody gets one that was not, and the group starts over.</summary>
    private void FinishSync(Group group, ErrorCode stored, DateTimeOffset now)
    {
        if (stored != ErrorCode.None)
        {
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
