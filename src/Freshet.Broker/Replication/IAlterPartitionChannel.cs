using Freshet.Protocol.Primitives;
using Freshet.Storage;

namespace Freshet.Broker.Replication;

/// <summary>
/// How a leader asks the active controller to change a partition's ISR (Kafka's AlterPartition). The controller
/// accepts only a change made at the partition's current leader and partition epochs.
/// </summary>
internal interface IAlterPartitionChannel
{
    Task<AlterPartitionResult> AlterPartitionAsync(
        TopicPartition id, KafkaUuid topicId, int leaderEpoch, int partitionEpoch, IReadOnlyList<int> newIsr, CancellationToken cancellationToken);
}
