using Freshet.Protocol.Messages;

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

    /// <summary>Deletes an empty group: tombstones for its offsets and its metadata, then Dead.</summary>
    public ErrorCode DeleteGroup(string groupId)
    {
        if (CoordinatorStatus(groupId) is var status and not ErrorCode.None)
        {
            return status;
        }
        if (!_groups.TryGetValue(groupId, out var group))
        {
            return ErrorCode.GroupIdNotFound;
        }
        var now = Now;
        lock (group)
        {
            if (group.State == GroupState.Dead)
            {
                return ErrorCode.GroupIdNotFound;
            }
            if (group.State != GroupState.Empty)
            {
                return ErrorCode.NonEmptyGroup;
            }
            var tombstones = group.Offsets.Keys.Select(tp => (GroupRecords.OffsetKey(groupId, tp), (byte[]?)null)).ToList();
            tombstones.Add((GroupRecords.GroupKey(groupId), null));
            var stored = Store(group, tombstones, now).Error;
            if (stored != ErrorCode.None)
            {
                return stored;
            }
            group.Offsets.Clear();
            group.TransitionTo(GroupState.Dead, now);
            Forget(group);
        }
        Diagnostics.GroupLog.GroupDeleted(_logger, groupId);
        return ErrorCode.None;
    }
}
