using System.Buffers.Binary;
using Freshet.Protocol.Messages;
using Freshet.Broker.Topics;
using Freshet.Protocol.Primitives;
using Freshet.Storage;

namespace Freshet.Broker.Groups;

/// <summary>
/// The records of __consumer_offsets, in Kafka's layout so its tools can read them:
/// key = int16 key version, then the key struct (1 = OffsetCommitKey, 2 = GroupMetadataKey);
/// value = int16 value version, then the value struct; a null value (tombstone) deletes.
/// </summary>
internal static class GroupRecords
{
    public const short OffsetCommitKeyVersion = 1;
    public const short GroupMetadataKeyVersion = 2;

    // Kafka writes OffsetCommitValue v3 (leader epoch, no expire timestamp) and GroupMetadataValue v3 (static members).
    public const short OffsetCommitValueVersion = 3;
    public const short GroupMetadataValueVersion = 3;

    public static byte[] OffsetKey(string group, TopicPartition partition) =>
        VersionedRecord.Encode(OffsetCommitKeyVersion, w => new OffsetCommitKey { Group = group, Topic = partition.Topic, Partition = partition.Partition }.Write(w, OffsetCommitKeyVersion));

    public static byte[] OffsetValue(CommittedOffset offset) =>
        VersionedRecord.Encode(OffsetCommitValueVersion, w => new OffsetCommitValue
        {
            Offset = offset.Offset,
            LeaderEpoch = offset.LeaderEpoch,
            Metadata = offset.Metadata,
            CommitTimestamp = offset.CommitTimestamp,
        }.Write(w, OffsetCommitValueVersion));

    public static byte[] GroupKey(string group) =>
        VersionedRecord.Encode(GroupMetadataKeyVersion, w => new GroupMetadataKey { Group = group }.Write(w, GroupMetadataKeyVersion));

    public static byte[] GroupValue(Group group, long now)
    {
        var value = new GroupMetadataValue
        {
            ProtocolType = group.ProtocolType ?? "",
            Generation = group.GenerationId,
            Protocol = group.ProtocolName,
            Leader = group.LeaderId,
            CurrentStateTimestamp = now,
        };
        foreach (var member in group.Members)
        {
            value.Members.Add(new GroupMetadataValue.MemberMetadata
            {
                MemberId = member.MemberId,
                GroupInstanceId = member.GroupInstanceId,
                ClientId = member.ClientId,
                ClientHost = member.ClientHost,
                RebalanceTimeout = member.RebalanceTimeoutMs,
                SessionTimeout = member.SessionTimeoutMs,
                Subscription = group.ProtocolName is { } protocol ? member.MetadataFor(protocol) : ReadOnlyMemory<byte>.Empty,
                Assignment = member.Assignment,
            });
        }
        return VersionedRecord.Encode(GroupMetadataValueVersion, w => value.Write(w, GroupMetadataValueVersion));
    }

    /// <summary>A decoded key: an offset commit (group, partition) or group metadata (group only).</summary>
    public readonly record struct Key(string Group, TopicPartition? Partition);

    public static Key ReadKey(ReadOnlyMemory<byte> bytes)
    {
        var version = BinaryPrimitives.ReadInt16BigEndian(bytes.Span);
        var reader = new KafkaReader(bytes[2..]);
        switch (version)
        {
            case 0 or 1:
                var offsetKey = OffsetCommitKey.Read(ref reader, version);
                return new Key(offsetKey.Group, new TopicPartition(offsetKey.Topic, offsetKey.Partition));
            case 2:
                return new Key(GroupMetadataKey.Read(ref reader, version).Group, null);
            default:
                throw new MalformedMessageException($"Unknown __consumer_offsets key version {version}.");
        }
    }

    public static CommittedOffset ReadOffsetValue(ReadOnlyMemory<byte> bytes)
    {
        var version = BinaryPrimitives.ReadInt16BigEndian(bytes.Span);
        var reader = new KafkaReader(bytes[2..]);
        var value = OffsetCommitValue.Read(ref reader, version);
        return new CommittedOffset(value.Offset, value.LeaderEpoch, value.Metadata, value.CommitTimestamp);
    }

    public static GroupMetadataValue ReadGroupValue(ReadOnlyMemory<byte> bytes)
    {
        var version = BinaryPrimitives.ReadInt16BigEndian(bytes.Span);
        var reader = new KafkaReader(bytes[2..]);
        return GroupMetadataValue.Read(ref reader, version);
    }
}
