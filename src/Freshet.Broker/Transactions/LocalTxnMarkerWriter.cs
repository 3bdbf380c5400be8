using Freshet.Broker.Groups;
using Freshet.Broker.Replication;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Transactions;

/// <summary>
/// Writes markers to partitions this broker hosts, in-process: for the local coordinator and for WriteTxnMarkers
/// from the coordinators of other brokers. A marker on a __consumer_offsets partition also ends the producer's
/// pending transactional offsets there, as Kafka's replica manager tells the group coordinator once the marker is
/// appended.
/// </summary>
internal sealed class LocalTxnMarkerWriter(ReplicaManager replicas, GroupCoordinator groups) : ITxnMarkerWriter
{
    public ValueTask<ErrorCode> WriteAsync(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch, bool commit, CancellationToken cancellation) =>
        ValueTask.FromResult(Write(partition, producerId, producerEpoch, coordinatorEpoch, commit));

    public ErrorCode Write(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch, bool commit)
    {
        if (!replicas.TryGetPartition(partition.Topic, partition.Partition, out var leader))
        {
            return ErrorCode.UnknownTopicOrPartition;
        }
        var error = leader.WriteTxnMarker(producerId, producerEpoch, coordinatorEpoch, commit);
        if (error == ErrorCode.None && partition.Topic == OffsetsTopic.Name)
        {
            groups.CompleteTransaction(producerId, partition.Partition, commit);
        }
        return error;
    }
}
