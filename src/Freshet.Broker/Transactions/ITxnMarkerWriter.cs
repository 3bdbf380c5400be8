using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Transactions;

/// <summary>
/// Writes a COMMIT or ABORT marker of a producer to one partition: in-process on the partition leader here, a
/// WriteTxnMarkers request to the leader's broker once partitions live on other brokers.
/// </summary>
internal interface ITxnMarkerWriter
{
    /// <summary>None when written; UNKNOWN_TOPIC_OR_PARTITION when the partition is gone (the marker is not needed).</summary>
    ErrorCode Write(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch, bool commit);
}
