using Freshet.Protocol.Messages;

namespace Freshet.Broker.Groups;

/// <summary>
/// Where the coordinator persists a group's records: __consumer_offsets in the broker, a list
/// in unit tests. Entries are (key, value) with a null value for a tombstone.
/// </summary>
internal interface IGroupStore
{
    ErrorCode Append(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> entries, long timestamp);
}

internal sealed class OffsetsTopicStore(OffsetsTopic topic) : IGroupStore
{
    public ErrorCode Append(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> entries, long timestamp) =>
        topic.Append(groupId, entries, timestamp);
}
