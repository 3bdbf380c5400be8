using Freshet.Broker.Configuration;
using Freshet.Broker.Groups;
using Freshet.Broker.Replication;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Transactions;

/// <summary>
/// The internal compacted topic __transaction_state. A transactional id's records go to partition
/// <c>abs(transactionalId.hashCode) % transaction.state.log.num.partitions</c>, as in Kafka.
/// </summary>
internal sealed class TransactionStateTopic(TopicCatalog catalog, TopicAdmin admin, ReplicaManager replicas, BrokerOptions options) : ITransactionLog
{
    public const string Name = "__transaction_state";

    // As Kafka: min.insync.replicas is transaction.state.log.min.isr; a write waits request.timeout.ms for the replicas.
    private readonly InternalTopic _topic = new(
        catalog, admin, replicas, Name, options.TransactionStateLogNumPartitions, options.TransactionStateLogSegmentBytes,
        Cluster.QuorumSettings.CapAtQuorumSize(options, options.TransactionStateLogReplicationFactor), options.TransactionStateLogMinIsr,
        TimeSpan.FromMilliseconds(options.RequestTimeoutMs));

    public int PartitionFor(string transactionalId) => GroupPartitioner.PartitionFor(transactionalId, _topic.PartitionCount);

    /// <summary>Creates the topic if it does not exist yet, as Kafka does on the first transaction coordinator lookup.</summary>
    public ValueTask<ErrorCode> EnsureCreatedAsync() => _topic.EnsureCreatedAsync();

    public InternalWrite Append(string transactionalId, byte[] key, byte[]? value, long timestamp) =>
        _topic.Append(PartitionFor(transactionalId), [(key, value)], timestamp);

    public IEnumerable<InternalLogEntry> Read(int partition) => _topic.ReadPartition(partition);
}

/// <summary>Where the coordinator persists a transactional id's state: __transaction_state, or a list in unit tests.</summary>
internal interface ITransactionLog
{
    /// <summary>Appends one record (a null value is a tombstone); the state it holds counts once the write is durable.</summary>
    InternalWrite Append(string transactionalId, byte[] key, byte[]? value, long timestamp);

    /// <summary>The __transaction_state partition of the id, whose leader coordinates it.</summary>
    int PartitionFor(string transactionalId);

    /// <summary>Every record of one partition in log order, for loading its ids when this broker becomes its leader.</summary>
    IEnumerable<InternalLogEntry> Read(int partition);
}
