using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Groups;

/// <summary>
/// Where the coordinator persists a group's records: __consumer_offsets in the broker, a list
/// in unit tests. Entries are (key, value) with a null value for a tombstone. A write is local first, then durable
/// once the in-sync replicas have it (<see cref="InternalWrite"/>).
/// </summary>
internal interface IGroupStore
{
    InternalWrite Append(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> entries, long timestamp);

    /// <summary>Offsets of a transaction: a transactional batch of the producer, committed by its COMMIT marker.</summary>
    InternalWrite AppendTransactional(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> entries, long timestamp, long producerId, short producerEpoch);

    /// <summary>The __consumer_offsets partition that holds the group: markers arrive per partition.</summary>
    int PartitionFor(string groupId);

    /// <summary>Every entry of one partition in log order, for loading its groups when this broker becomes its leader.</summary>
    IEnumerable<InternalLogEntry> Read(int partition);
}

internal sealed class OffsetsTopicStore(OffsetsTopic topic) : IGroupStore
{
    public InternalWrite Append(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> entries, long timestamp) =>
        topic.Append(groupId, entries, timestamp);

    public InternalWrite AppendTransactional(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> entries, long timestamp, long producerId, short producerEpoch) =>
        topic.AppendTransactional(groupId, entries, timestamp, producerId, producerEpoch);

    public int PartitionFor(string groupId) => topic.PartitionFor(groupId);

    public IEnumerable<InternalLogEntry> Read(int partition) => topic.ReadPartition(partition);
}
