using Freshet.Storage;

namespace Freshet.Broker.Groups;

/// <summary>
/// One classic group: its members, generation, chosen protocol, committed offsets and the
/// deadlines its state machine waits on. Every access holds the group's lock; the
/// coordinator drives the transitions.
/// </summary>
internal sealed class Group(string groupId, DateTimeOffset now)
{
    private readonly Dictionary<string, GroupMember> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _staticMembers = new(StringComparer.Ordinal);

    public string GroupId { get; } = groupId;

    public GroupState State { get; private set; } = GroupState.Empty;

    public DateTimeOffset StateChangedAt { get; private set; } = now;

    public int GenerationId { get; set; }

    public string? ProtocolType { get; set; }

    public string? ProtocolName { get; set; }

    public string? LeaderId { get; set; }

    public IReadOnlyCollection<GroupMember> Members => _members.Values;

    public int MemberCount => _members.Count;

    /// <summary>Member ids handed out with MEMBER_ID_REQUIRED that have not joined yet, with when they lapse.</summary>
    public Dictionary<string, DateTimeOffset> PendingMembers { get; } = new(StringComparer.Ordinal);

    public Dictionary<TopicPartition, CommittedOffset> Offsets { get; } = [];

    /// <summary>
    /// Where in __consumer_offsets the adopted commit of each partition was written: commits that become durable
    /// out of order never replace a later one. Empty after a load, since every new commit follows what was loaded.
    /// </summary>
    public Dictionary<TopicPartition, long> OffsetLogPositions { get; } = [];

    /// <summary>
    /// Where in __consumer_offsets the latest commit was appended, durable or not yet (-1: none since the load). A
    /// deletion whose tombstones come before it must not drop the group: the commit brings it back, as a read of the
    /// log would, even when it becomes durable after the tombstones do.
    /// </summary>
    public long LastCommitAppendedAt { get; set; } = -1;

    /// <summary>
    /// Offsets committed in transactions that have not ended, by producer id: invisible to OffsetFetch until the
    /// transaction's COMMIT marker reaches the group's __consumer_offsets partition, dropped by its ABORT marker.
    /// </summary>
    public Dictionary<long, Dictionary<TopicPartition, CommittedOffset>> PendingTransactionalOffsets { get; } = [];

    /// <summary>When the join phase ends (rebalance timeout, or the initial delay of a new group).</summary>
    public DateTimeOffset JoinDeadline { get; set; }

    /// <summary>The end of a new group's initial delay; the join phase may be extended up to <see cref="JoinDeadline"/>.</summary>
    public DateTimeOffset? InitialDelayDeadline { get; set; }

    /// <summary>Members when the initial delay was last (re)armed: more means someone joined, so it waits again.</summary>
    public int MembersAtDelayStart { get; set; }

    /// <summary>When the leader must have sent its assignment.</summary>
    public DateTimeOffset SyncDeadline { get; set; }

    public bool Has(string memberId) => _members.ContainsKey(memberId);

    public bool TryGet(string memberId, out GroupMember member) => _members.TryGetValue(memberId, out member!);

    public string? StaticMemberId(string instanceId) => _staticMembers.GetValueOrDefault(instanceId);

    public bool IsLeader(string memberId) => LeaderId == memberId;

    public void TransitionTo(GroupState state, DateTimeOffset now)
    {
        State = state;
        StateChangedAt = now;
    }

    public void Add(GroupMember member)
    {
        if (_members.Count == 0)
        {
            ProtocolType = member.ProtocolType;
        }
        _members[member.MemberId] = member;
        if (member.GroupInstanceId is { } instance)
        {
            _staticMembers[instance] = member.MemberId;
        }
        LeaderId ??= member.MemberId;
    }

    public void Remove(string memberId)
    {
        if (!_members.Remove(memberId, out var member))
        {
            return;
        }
        if (member.GroupInstanceId is { } instance && _staticMembers.GetValueOrDefault(instance) == memberId)
        {
            _staticMembers.Remove(instance);
        }
        if (LeaderId == memberId)
        {
            // Kafka hands leadership to a member that is rejoining, so the new leader can assign.
            LeaderId = _members.Values.FirstOrDefault(m => m.IsAwaitingJoin)?.MemberId ?? _members.Keys.FirstOrDefault();
        }
    }

    /// <summary>A static member restarted: the same member under a new id, keeping its place (and leadership).</summary>
    public void ReplaceStaticMember(GroupMember member, string newMemberId)
    {
        var oldId = member.MemberId;
        _members.Remove(oldId);
        member.MemberId = newMemberId;
        _members[newMemberId] = member;
        _staticMembers[member.GroupInstanceId!] = newMemberId;
        if (LeaderId == oldId)
        {
            LeaderId = newMemberId;
        }
    }

    /// <summary>A group accepts a member whose protocol type matches and who shares a protocol with every member.</summary>
    public bool SupportsProtocols(string protocolType, IReadOnlyList<MemberProtocol> protocols)
    {
        if (_members.Count == 0)
        {
            return protocolType.Length > 0 && protocols.Count > 0;
        }
        return protocolType == ProtocolType && CandidateProtocols().Overlaps(protocols.Select(p => p.Name));
    }

    /// <summary>
    /// Kafka's vote: among the protocols every member supports, each member votes for the first
    /// one in its own preference order; the most votes win.
    /// </summary>
    public string SelectProtocol()
    {
        var candidates = CandidateProtocols();
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var member in _members.Values)
        {
            var choice = member.Protocols.First(p => candidates.Contains(p.Name)).Name;
            votes[choice] = votes.GetValueOrDefault(choice) + 1;
        }
        return votes.MaxBy(v => v.Value).Key;
    }

    private HashSet<string> CandidateProtocols()
    {
        HashSet<string>? common = null;
        foreach (var member in _members.Values)
        {
            var names = member.Protocols.Select(p => p.Name);
            if (common is null)
            {
                common = new HashSet<string>(names, StringComparer.Ordinal);
            }
            else
            {
                common.IntersectWith(names);
            }
        }
        return common ?? [];
    }

    public bool AllMembersJoined => PendingMembers.Count == 0 && _members.Values.All(m => m.IsAwaitingJoin);

    public int MaxRebalanceTimeoutMs => _members.Count == 0 ? 0 : _members.Values.Max(m => m.RebalanceTimeoutMs);
}
