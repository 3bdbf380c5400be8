using Freshet.Broker.Requests;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>
/// WriteTxnMarkers: a transaction coordinator asks this broker to write COMMIT/ABORT markers to partitions it
/// leads. The local coordinator writes its markers in-process through the same writer; this is the wire form
/// for coordinators on other brokers and for tools.
/// </summary>
internal sealed class WriteTxnMarkersHandler(LocalTxnMarkerWriter markers) : ApiHandler<WriteTxnMarkersRequest>
{
    public override ApiKey Key => ApiKey.WriteTxnMarkers;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, WriteTxnMarkersRequest request)
    {
        var response = new WriteTxnMarkersResponse();
        foreach (var marker in request.Markers)
        {
            var result = new WriteTxnMarkersResponse.WritableTxnMarkerResult { ProducerId = marker.ProducerId };
            foreach (var topic in marker.Topics)
            {
                var topicResult = new WriteTxnMarkersResponse.WritableTxnMarkerTopicResult { Name = topic.Name };
                foreach (var index in topic.PartitionIndexes)
                {
                    var error = markers.Write(new TopicPartition(topic.Name, index), marker.ProducerId, marker.ProducerEpoch, marker.CoordinatorEpoch, marker.TransactionResult);
                    topicResult.Partitions.Add(new WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult { PartitionIndex = index, ErrorCode = (short)error });
                }
                result.Topics.Add(topicResult);
            }
            response.Markers.Add(result);
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }
}
