using Freshet.Protocol.Primitives;
using Freshet.Storage;

namespace Freshet.Broker.Replication;

/// <summary>
/// The channel partitions are created with, forwarding to the controller channel the broker has once it joins a
/// cluster; a single-node broker has no followers and so never proposes an ISR change.
/// </summary>
internal sealed class AlterPartitionForwarder : IAlterPartitionChannel
{
    private IAlterPartitionChannel? _target;

    public IAlterPartitionChannel? Target
    {
        get => Volatile.Read(ref _target);
        set => Volatile.Write(ref _target, value);
    }

    public Task<AlterPartitionResult> AlterPartitionAsync(
        TopicPartition id, KafkaUuid topicId, int leaderEpoch, int partitionEpoch, IReadOnlyList<int> newIsr, CancellationToken cancellationToken) =>
        (Target ?? throw new InvalidOperationException("This broker has no controller to send ISR changes to."))
            .AlterPartitionAsync(id, topicId, leaderEpoch, partitionEpoch, newIsr, cancellationToken);
}
