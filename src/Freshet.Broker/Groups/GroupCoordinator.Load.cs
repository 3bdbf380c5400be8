using Freshet.Protocol.Messages;
using Freshet.Protocol.Records;
using Freshet.Storage;

namespace Freshet.Broker.Groups;

/// <summary>
/// Rebuilds groups and committed offsets by replaying __consumer_offsets, the last record of a
/// key winning and a tombstone deleting, as Kafka's GroupMetadataManager loads a partition.
/// Requests meanwhile get COORDINATOR_LOAD_IN_PROGRESS.
/// </summary>
internal sealed partial class GroupCoordinator
{
    public int Load(IEnumerable<Record> records)
    {
        _loading = true;
        try
        {
            var offsets = new Dictionary<string, Dictionary<TopicPartition, CommittedOffset>>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, GroupMetadataValue?>(StringComparer.Ordinal);
            foreach (var record in records)
            {
                if (record.Key is not { } keyBytes)
                {
                    continue;
                }
                var key = GroupRecords.ReadKey(keyBytes);
                if (key.Partition is { } partition)
                {
                    if (!offsets.TryGetValue(key.Group, out var byPartition))
                    {
                        offsets[key.Group] = byPartition = [];
                    }
                    if (record.Value is { } value)
                    {
                        byPartition[partition] = GroupRecords.ReadOffsetValue(value);
                    }
                    else
                    {
                        byPartition.Remove(partition);
                    }
                }
                else
                {
                    metadata[key.Group] = record.Value is { } value ? GroupRecords.ReadGroupValue(value) : null;
                }
            }
            var now = Now;
            foreach (var groupId in offsets.Keys.Union(metadata.Keys))
            {
                var groupOffsets = offsets.GetValueOrDefault(groupId);
                var value = metadata.GetValueOrDefault(groupId);
                if (value is null && (groupOffsets is null || groupOffsets.Count == 0))
                {
                    continue;
                }
                var group = Restore(groupId, value, now);
                foreach (var (partition, offset) in groupOffsets ?? [])
                {
                    group.Offsets[partition] = offset;
                }
                _groups[groupId] = group;
            }
            return _groups.Count;
        }
        finally
        {
            _loading = false;
        }
    }

    /// <summary>A group from its last metadata record: Stable with its members when it had any, Empty otherwise.</summary>
    private static Group Restore(string groupId, GroupMetadataValue? value, DateTimeOffset now)
    {
        var group = new Group(groupId, now);
        if (value is null)
        {
            return group;
        }
        group.GenerationId = value.Generation;
        group.ProtocolType = value.ProtocolType.Length > 0 ? value.ProtocolType : null;
        group.ProtocolName = value.Protocol;
        foreach (var stored in value.Members)
        {
            var member = new GroupMember(stored.MemberId, stored.GroupInstanceId, stored.ClientId, stored.ClientHost)
            {
                ProtocolType = value.ProtocolType,
                Protocols = value.Protocol is { } protocol ? [new MemberProtocol(protocol, stored.Subscription.ToArray())] : [],
                SessionTimeoutMs = stored.SessionTimeout,
                RebalanceTimeoutMs = stored.RebalanceTimeout,
                Assignment = stored.Assignment.ToArray(),
                // Members get one session from start-up to find the coordinator again.
                SessionDeadline = now + TimeSpan.FromMilliseconds(stored.SessionTimeout),
            };
            group.Add(member);
        }
        group.LeaderId = group.MemberCount > 0 ? value.Leader : null;
        if (group.MemberCount > 0 && value.Protocol is not null)
        {
            group.TransitionTo(GroupState.Stable, now);
        }
        else
        {
            // Members without a chosen protocol were mid-rebalance: they rejoin from scratch.
            foreach (var member in group.Members.ToList())
            {
                group.Remove(member.MemberId);
            }
            group.LeaderId = null;
        }
        return group;
    }
}
