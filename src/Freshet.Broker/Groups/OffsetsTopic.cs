using Freshet.Broker.Configuration;
using Freshet.Broker.Replication;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Groups;

/// <summary>The internal compacted topic __consumer_offsets; a group's records go to the partition its id hashes to.</summary>
internal sealed class OffsetsTopic(TopicCatalog catalog, TopicAdmin admin, ReplicaManager replicas, BrokerOptions options)
{
    public const string Name = "__consumer_offsets";

    // As Kafka: min.insync.replicas is the broker's default; a commit waits offsets.commit.timeout.ms for the replicas.
    private readonly InternalTopic _topic = new(
        catalog, admin, replicas, Name, options.OffsetsTopicNumPartitions, options.OffsetsTopicSegmentBytes,
        Cluster.QuorumSettings.CapAtQuorumSize(options, options.OffsetsTopicReplicationFactor), null, TimeSpan.FromMilliseconds(options.OffsetsCommitTimeoutMs));

    public int PartitionCount => _topic.PartitionCount;

    public int PartitionFor(string groupId) => GroupPartitioner.PartitionFor(groupId, PartitionCount);

    public bool Exists => _topic.Exists;

    /// <summary>Creates the topic if it does not exist yet, as Kafka does on the first FindCoordinator.</summary>
    public ValueTask<ErrorCode> EnsureCreatedAsync() => _topic.EnsureCreatedAsync();

    /// <summary>Appends records (key, value-or-tombstone) for one group as a single batch, so they land together.</summary>
    public InternalWrite Append(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> entries, long timestamp) =>
        _topic.Append(PartitionFor(groupId), entries, timestamp);

    /// <summary>Offsets committed in a transaction: a transactional batch of the producer, visible once its COMMIT marker follows.</summary>
    public InternalWrite AppendTransactional(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> entries, long timestamp, long producerId, short producerEpoch) =>
        _topic.Append(PartitionFor(groupId), entries, timestamp, producerId, producerEpoch);

    /// <summary>Every entry of one partition in log order, for rebuilding the groups it holds.</summary>
    public IEnumerable<InternalLogEntry> ReadPartition(int partition) => _topic.ReadPartition(partition);
}
