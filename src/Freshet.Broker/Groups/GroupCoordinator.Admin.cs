using Freshet.Broker.Coordination;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Groups;

/// <summary>DescribeGroups, ListGroups and DeleteGroups.</summary>
internal sealed partial class GroupCoordinator
{
    private const string ClassicGroupType = "classic";

    public DescribeGroupsResponse.DescribedGroup Describe(string groupId)
    {
        var described = new DescribeGroupsResponse.DescribedGroup { GroupId = groupId, GroupState = GroupState.Dead.ToKafkaName() };
        if (CoordinatorStatus(groupId) is var status and not ErrorCode.None)
        {
            described.ErrorCode = (short)status;
            return described;
        }
        if (!_groups.TryGetValue(groupId, out var group))
        {
            return described;
        }
        lock (group)
        {
            described.GroupState = group.State.ToKafkaName();
            described.ProtocolType = group.ProtocolType ?? "";
            // As Kafka: the protocol and the members' metadata and assignments only once the group is Stable.
            var stable = group.State == GroupState.Stable;
            described.ProtocolData = stable ? group.ProtocolName ?? "" : "";
            foreach (var member in group.Members)
            {
                described.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
                {
                    MemberId = member.MemberId,
                    GroupInstanceId = member.GroupInstanceId,
                    ClientId = member.ClientId,
                    ClientHost = member.ClientHost,
                    MemberMetadata = stable ? member.MetadataFor(group.ProtocolName!) : ReadOnlyMemory<byte>.Empty,
                    MemberAssignment = stable ? member.Assignment : ReadOnlyMemory<byte>.Empty,
                });
            }
        }
        return described;
    }

    public ErrorCode List(IReadOnlyCollection<string> statesFilter, IReadOnlyCollection<string> typesFilter, out List<ListGroupsResponse.ListedGroup> listed)
    {
        listed = [];
        if (_partitions.AnyLoading)
        {
            return ErrorCode.CoordinatorLoadInProgress;
        }
        if (typesFilter.Count > 0 && !typesFilter.Contains(ClassicGroupType, StringComparer.OrdinalIgnoreCase))
        {
            return ErrorCode.None;
        }
        foreach (var group in _groups.Values)
        {
            lock (group)
            {
                var state = group.State.ToKafkaName();
                if (group.State == GroupState.Dead || (statesFilter.Count > 0 && !statesFilter.Contains(state, StringComparer.OrdinalIgnoreCase)))
                {
                    continue;
                }
                listed.Add(new ListGroupsResponse.ListedGroup
                {
                    GroupId = group.GroupId,
                    ProtocolType = group.ProtocolType ?? "",
                    GroupState = state,
                    GroupType = ClassicGroupType,
                });
            }
        }
        return ErrorCode.None;
    }

    /// <summary>
    /// Deletes an empty group: tombstones for its offsets and its metadata, then Dead, once every in-sync replica has
    /// the tombstones; a write that fails leaves the group as it was.
    /// </summary>
    public ValueTask<ErrorCode> DeleteGroupAsync(string groupId)
    {
        if (CoordinatorStatus(groupId) is var status and not ErrorCode.None)
        {
            return ValueTask.FromResult(status);
        }
        if (!_groups.TryGetValue(groupId, out var group))
        {
            return ValueTask.FromResult(ErrorCode.GroupIdNotFound);
        }
        var deleting = new List<TopicPartition>();
        return DurableChange.ApplyAsync(
            group,
            () =>
            {
                if (group.State == GroupState.Dead)
                {
                    return Appended<ErrorCode>.Refused(ErrorCode.GroupIdNotFound);
                }
                if (group.State != GroupState.Empty)
                {
                    return Appended<ErrorCode>.Refused(ErrorCode.NonEmptyGroup);
                }
                var tombstones = new List<(byte[] Key, byte[]? Value)>(group.Offsets.Count + 1);
                foreach (var partition in group.Offsets.Keys)
                {
                    tombstones.Add((GroupRecords.OffsetKey(groupId, partition), null));
                    deleting.Add(partition);
                }
                tombstones.Add((GroupRecords.GroupKey(groupId), null));
                return Appended<ErrorCode>.Written(Store(group, tombstones, Now));
            },
            (write, outcome) =>
            {
                if (outcome != ErrorCode.None)
                {
                    return outcome;
                }
                RemoveOffsets(group, deleting, write.LogOffset);
                RemoveIfEmpty(group, write.LogOffset);
                Diagnostics.GroupLog.GroupDeleted(_logger, groupId);
                return ErrorCode.None;
            });
    }

    /// <summary>
    /// A group whose tombstone (written at <paramref name="tombstonesAt"/>) is durable goes Dead unless it came back to
    /// life while the tombstone was on its way (a member joined, or an offset was committed after it, durable yet or
    /// not): then it lives on, as it would when the log is read again. Caller holds the lock.
    /// </summary>
    private void RemoveIfEmpty(Group group, long tombstonesAt)
    {
        if (group.State != GroupState.Empty || group.MemberCount > 0 || group.Offsets.Count > 0 || group.LastCommitAppendedAt > tombstonesAt)
        {
            return;
        }
        group.TransitionTo(GroupState.Dead, Now);
        Forget(group);
    }
}
