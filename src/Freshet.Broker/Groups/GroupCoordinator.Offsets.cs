using System.Text;
using Freshet.Broker.Coordination;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Freshet.Storage;

namespace Freshet.Broker.Groups;

/// <summary>One offset to commit; a null metadata string is stored as empty, as Kafka does.</summary>
internal readonly record struct OffsetCommitEntry(TopicPartition Partition, long Offset, int LeaderEpoch, string? Metadata);

/// <summary>OffsetCommit, OffsetFetch and OffsetDelete.</summary>
internal sealed partial class GroupCoordinator
{
    /// <summary>
    /// OffsetCommit: the offsets are written to the group's __consumer_offsets partition and become the committed ones,
    /// and the answer is sent, once every in-sync replica has them; a write that fails leaves them as they were.
    /// </summary>
    public ValueTask<IReadOnlyList<ErrorCode>> CommitAsync(
        string groupId, int generationId, string memberId, string? groupInstanceId, IReadOnlyList<OffsetCommitEntry> entries)
    {
        var errors = new ErrorCode[entries.Count];
        var groupError = CommitGroupError(groupId, generationId, out var group);
        if (groupError != ErrorCode.None || group is null)
        {
            Array.Fill(errors, groupError);
            return ValueTask.FromResult<IReadOnlyList<ErrorCode>>(errors);
        }
        var now = Now;
        List<(TopicPartition Partition, CommittedOffset Offset)> committed = [];
        return DurableChange.ApplyAsync<IReadOnlyList<ErrorCode>>(
            group,
            () =>
            {
                // Checked again under the lock: the group may have moved on since.
                groupError = CommitCheck(group, generationId, memberId, groupInstanceId, now);
                if (groupError != ErrorCode.None)
                {
                    Array.Fill(errors, groupError);
                    return Appended<IReadOnlyList<ErrorCode>>.Refused(errors);
                }
                (var records, committed) = OffsetRecords(groupId, entries, now.ToUnixTimeMilliseconds(), errors);
                var write = Store(group, records, now);
                group.LastCommitAppendedAt = write.LogOffset;
                return Appended<IReadOnlyList<ErrorCode>>.Written(write);
            },
            (write, outcome) => Adopt(group, write, outcome, committed, errors));
    }

    /// <summary>
    /// Makes durable offsets the committed ones. Commits may become durable out of order; an offset replaces the one
    /// there only when its record is later in the log, so the last commit wins, as in Kafka. Caller holds the lock.
    /// </summary>
    private static ErrorCode[] Adopt(Group group, InternalWrite write, ErrorCode outcome, List<(TopicPartition Partition, CommittedOffset Offset)> committed, ErrorCode[] errors)
    {
        FillErrors(errors, outcome);
        if (outcome != ErrorCode.None)
        {
            return errors;
        }
        foreach (var (partition, offset) in committed)
        {
            if (group.OffsetLogPositions.TryGetValue(partition, out var position) && position > write.LogOffset)
            {
                continue;
            }
            group.Offsets[partition] = offset;
            group.OffsetLogPositions[partition] = write.LogOffset;
        }
        return errors;
    }

    /// <summary>The records of the offsets to commit; an offset with too long a metadata string gets its error instead.</summary>
    private (List<(byte[] Key, byte[]? Value)> Records, List<(TopicPartition Partition, CommittedOffset Offset)> Offsets) OffsetRecords(
        string groupId, IReadOnlyList<OffsetCommitEntry> entries, long timestamp, ErrorCode[] errors)
    {
        var records = new List<(byte[] Key, byte[]? Value)>(entries.Count);
        var offsets = new List<(TopicPartition Partition, CommittedOffset Offset)>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var metadata = entry.Metadata ?? "";
            if (Encoding.UTF8.GetByteCount(metadata) > _options.OffsetMetadataMaxBytes)
            {
                errors[i] = ErrorCode.OffsetMetadataTooLarge;
                continue;
            }
            var offset = new CommittedOffset(entry.Offset, entry.LeaderEpoch, metadata, timestamp);
            records.Add((GroupRecords.OffsetKey(groupId, entry.Partition), GroupRecords.OffsetValue(offset)));
            offsets.Add((entry.Partition, offset));
        }
        return (records, offsets);
    }

    /// <summary>The outcome of the store for every entry that passed its own checks.</summary>
    private static void FillErrors(ErrorCode[] errors, ErrorCode stored)
    {
        for (var i = 0; i < errors.Length; i++)
        {
            if (errors[i] == ErrorCode.None)
            {
                errors[i] = stored;
            }
        }
    }

    private ErrorCode CommitGroupError(string groupId, int generationId, out Group? group)
    {
        group = null;
        if (CoordinatorStatus(groupId) is var status and not ErrorCode.None)
        {
            return status;
        }
        if (groupId.Length == 0)
        {
            return ErrorCode.InvalidGroupId;
        }
        if (_groups.TryGetValue(groupId, out group))
        {
            return ErrorCode.None;
        }
        if (generationId >= 0)
        {
            // A generation the coordinator never handed out.
            return ErrorCode.IllegalGeneration;
        }
        // A simple consumer (assign + commit, no membership) creates an empty group that only holds offsets.
        group = GetOrCreate(groupId);
        return ErrorCode.None;
    }

    private static ErrorCode CommitCheck(Group group, int generationId, string memberId, string? groupInstanceId, DateTimeOffset now)
    {
        if (group.State == GroupState.Dead)
        {
            return ErrorCode.CoordinatorNotAvailable;
        }
        if (generationId < 0 && group.State == GroupState.Empty)
        {
            return ErrorCode.None;
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
        if (group.State == GroupState.CompletingRebalance)
        {
            return ErrorCode.RebalanceInProgress;
        }
        member.SessionDeadline = now + TimeSpan.FromMilliseconds(member.SessionTimeoutMs);
        return ErrorCode.None;
    }

    /// <summary>
    /// The committed offsets of the given partitions (null: every partition the group has
    /// committed); a partition without a commit comes back with no value.
    /// </summary>
    public ErrorCode Fetch(string groupId, IReadOnlyList<TopicPartition>? partitions, out List<(TopicPartition Partition, CommittedOffset? Offset)> result)
    {
        result = [];
        if (CoordinatorStatus(groupId) is var status and not ErrorCode.None)
        {
            return status;
        }
        if (!_groups.TryGetValue(groupId, out var group))
        {
            foreach (var partition in partitions ?? [])
            {
                result.Add((partition, null));
            }
            return ErrorCode.None;
        }
        lock (group)
        {
            if (partitions is null)
            {
                foreach (var (partition, offset) in group.Offsets)
                {
                    result.Add((partition, offset));
                }
            }
            else
            {
                foreach (var partition in partitions)
                {
                    result.Add((partition, group.Offsets.TryGetValue(partition, out var offset) ? offset : null));
                }
            }
        }
        return ErrorCode.None;
    }

    /// <summary>
    /// OffsetDelete: only for partitions of topics no member is subscribed to; a group that is not a consumer group must
    /// be empty. The offsets are gone, and the answer is sent, once every in-sync replica has their tombstones; a write
    /// that fails leaves them as they were. Gives the group's error and each partition's.
    /// </summary>
    public ValueTask<(ErrorCode Group, ErrorCode[] Partitions)> DeleteOffsetsAsync(string groupId, IReadOnlyList<TopicPartition> partitions)
    {
        var errors = new ErrorCode[partitions.Count];
        if (CoordinatorStatus(groupId) is var status and not ErrorCode.None)
        {
            return ValueTask.FromResult((status, errors));
        }
        if (!_groups.TryGetValue(groupId, out var group))
        {
            return ValueTask.FromResult((ErrorCode.GroupIdNotFound, errors));
        }
        var now = Now;
        var deleting = new List<TopicPartition>();
        return DurableChange.ApplyAsync<(ErrorCode, ErrorCode[])>(
            group,
            () =>
            {
                if (group.State == GroupState.Dead)
                {
                    return Appended<(ErrorCode, ErrorCode[])>.Refused((ErrorCode.GroupIdNotFound, errors));
                }
                HashSet<string> subscribed = [];
                if (group.MemberCount > 0)
                {
                    if (group.ProtocolType != "consumer")
                    {
                        return Appended<(ErrorCode, ErrorCode[])>.Refused((ErrorCode.NonEmptyGroup, errors));
                    }
                    subscribed = SubscribedTopics(group);
                }
                var tombstones = new List<(byte[] Key, byte[]? Value)>();
                for (var i = 0; i < partitions.Count; i++)
                {
                    if (subscribed.Contains(partitions[i].Topic))
                    {
                        errors[i] = ErrorCode.GroupSubscribedToTopic;
                    }
                    else if (group.Offsets.ContainsKey(partitions[i]))
                    {
                        tombstones.Add((GroupRecords.OffsetKey(groupId, partitions[i]), null));
                        deleting.Add(partitions[i]);
                    }
                }
                return Appended<(ErrorCode, ErrorCode[])>.Written(Store(group, tombstones, now));
            },
            (write, outcome) =>
            {
                if (outcome != ErrorCode.None)
                {
                    return (outcome, errors);
                }
                RemoveOffsets(group, deleting, write.LogOffset);
                return (ErrorCode.None, errors);
            });
    }

    /// <summary>
    /// Drops offsets whose tombstones are durable at <paramref name="tombstonesAt"/>; a commit written after them stays,
    /// as it would when the log is read again, and one written before them that becomes durable later is not adopted.
    /// Caller holds the lock.
    /// </summary>
    private static void RemoveOffsets(Group group, List<TopicPartition> partitions, long tombstonesAt)
    {
        foreach (var partition in partitions)
        {
            if (group.OffsetLogPositions.TryGetValue(partition, out var position) && position > tombstonesAt)
            {
                continue;
            }
            group.Offsets.Remove(partition);
            group.OffsetLogPositions[partition] = tombstonesAt;
        }
    }

    /// <summary>The topics in the members' consumer-protocol subscriptions.</summary>
    private static HashSet<string> SubscribedTopics(Group group)
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in group.Members)
        {
            var metadata = group.ProtocolName is { } protocol ? member.MetadataFor(protocol) : member.Protocols.Count > 0 ? member.Protocols[0].Metadata : ReadOnlyMemory<byte>.Empty;
            if (metadata.Length < 2)
            {
                continue;
            }
            try
            {
                var version = System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(metadata.Span);
                var reader = new KafkaReader(metadata[2..]);
                var subscription = ConsumerProtocolSubscription.Read(ref reader, Math.Min(version, ConsumerProtocolSubscription.HighestSupportedVersion));
                topics.UnionWith(subscription.Topics);
            }
            catch (MalformedMessageException)
            {
                // Not a subscription this broker can read: it protects no topic.
            }
        }
        return topics;
    }
}
