using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Records;
using Freshet.Storage;

namespace Freshet.Broker.Groups;

/// <summary>
/// Rebuilds the groups and committed offsets of one __consumer_offsets partition by replaying it, the last
/// record of a key winning and a tombstone deleting, as Kafka's GroupMetadataManager loads a partition.
/// Offsets of a transaction count from its COMMIT marker on, are dropped at its ABORT marker, and
/// stay pending when the log ends before either.
/// </summary>
internal sealed partial class GroupCoordinator
{
    /// <summary>
    /// The groups of one partition as its entries leave them, built aside from the served groups; the replay stops
    /// early when the partition is resigned meanwhile.
    /// </summary>
    private Dictionary<string, Group> Replay(IEnumerable<InternalLogEntry> entries, CancellationToken cancellation)
    {
        var state = new LoadState();
        var replayed = 0;
        foreach (var entry in entries)
        {
            if ((++replayed & 1023) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }
            if (entry.Marker is { } marker)
            {
                state.EndTransaction(entry.Partition, entry.ProducerId, marker == TxnMarkerType.Commit);
            }
            else if (entry.Record.Key is { } keyBytes)
            {
                state.Apply(entry, GroupRecords.ReadKey(keyBytes));
            }
        }
        cancellation.ThrowIfCancellationRequested();
        var now = Now;
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        foreach (var groupId in state.Offsets.Keys.Union(state.Metadata.Keys).Union(state.PendingGroups))
        {
            var groupOffsets = state.Offsets.GetValueOrDefault(groupId);
            var value = state.Metadata.GetValueOrDefault(groupId);
            var pending = state.PendingOf(groupId);
            if (value is null && (groupOffsets is null || groupOffsets.Count == 0) && pending.Count == 0)
            {
                continue;
            }
            var group = Restore(groupId, value, now);
            foreach (var (partition, offset) in groupOffsets ?? [])
            {
                group.Offsets[partition] = offset;
            }
            foreach (var (producerId, offsets) in pending)
            {
                group.PendingTransactionalOffsets[producerId] = offsets;
            }
            groups[groupId] = group;
        }
        return groups;
    }

    /// <summary>
    /// What the replay has seen so far: the last record of each key, and per (partition, producer) the offsets of
    /// transactions whose marker has not been read yet.
    /// </summary>
    private sealed class LoadState
    {
        private readonly Dictionary<(int Partition, long ProducerId), List<(string Group, TopicPartition Partition, CommittedOffset Offset)>> _open = [];

        public Dictionary<string, Dictionary<TopicPartition, CommittedOffset>> Offsets { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, GroupMetadataValue?> Metadata { get; } = new(StringComparer.Ordinal);

        public IEnumerable<string> PendingGroups => _open.Values.SelectMany(list => list.Select(e => e.Group)).Distinct(StringComparer.Ordinal);

        public void Apply(InternalLogEntry entry, GroupRecords.Key key)
        {
            if (key.Partition is not { } partition)
            {
                Metadata[key.Group] = entry.Record.Value is { } metadata ? GroupRecords.ReadGroupValue(metadata) : null;
                return;
            }
            if (entry.IsTransactional && entry.Record.Value is { } pendingValue)
            {
                var id = (entry.Partition, entry.ProducerId);
                if (!_open.TryGetValue(id, out var list))
                {
                    _open[id] = list = [];
                }
                list.Add((key.Group, partition, GroupRecords.ReadOffsetValue(pendingValue)));
                return;
            }
            var byPartition = OffsetsOf(key.Group);
            if (entry.Record.Value is { } value)
            {
                byPartition[partition] = GroupRecords.ReadOffsetValue(value);
            }
            else
            {
                byPartition.Remove(partition);
            }
        }

        public void EndTransaction(int partition, long producerId, bool commit)
        {
            if (!_open.Remove((partition, producerId), out var list) || !commit)
            {
                return;
            }
            foreach (var (group, topicPartition, offset) in list)
            {
                OffsetsOf(group)[topicPartition] = offset;
            }
        }

        /// <summary>The offsets of the group's transactions still open at the end of the log, by producer.</summary>
        public Dictionary<long, Dictionary<TopicPartition, CommittedOffset>> PendingOf(string groupId)
        {
            var result = new Dictionary<long, Dictionary<TopicPartition, CommittedOffset>>();
            foreach (var ((_, producerId), list) in _open)
            {
                foreach (var (group, partition, offset) in list)
                {
                    if (group == groupId)
                    {
                        if (!result.TryGetValue(producerId, out var byPartition))
                        {
                            result[producerId] = byPartition = [];
                        }
                        byPartition[partition] = offset;
                    }
                }
            }
            return result;
        }

        private Dictionary<TopicPartition, CommittedOffset> OffsetsOf(string group)
        {
            if (!Offsets.TryGetValue(group, out var byPartition))
            {
                Offsets[group] = byPartition = [];
            }
            return byPartition;
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
