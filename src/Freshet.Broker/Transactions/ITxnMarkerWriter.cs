using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Transactions;

/// <summary>
/// Writes a COMMIT or ABORT marker of a producer to one partition, wherever its leader is: in-process when this
/// broker leads it, a WriteTxnMarkers request to the leader's broker otherwise.
/// </summary>
internal interface ITxnMarkerWriter
{
    /// <summary>
    /// Completes with None once the leader has written the marker, with UNKNOWN_TOPIC_OR_PARTITION when the partition is
    /// gone (the marker is not needed), or with an error the coordinator retries later. Cancelled when the coordinator
    /// resigns the transaction's partition.
    /// </summary>
    ValueTask<ErrorCode> WriteAsync(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch, bool commit, CancellationToken cancellation);
}
