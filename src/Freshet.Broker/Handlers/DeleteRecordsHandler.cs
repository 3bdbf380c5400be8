using Freshet.Broker.Replication;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DeleteRecords: moves each partition's log start offset (its low watermark) forward; the segments wholly below it
/// go at the next retention pass. Offset -1 means the high watermark. With one replica the new low watermark is
/// known at once, so the request's timeout is never waited on.
/// </summary>
internal sealed class DeleteRecordsHandler(ReplicaManager replicas) : ApiHandler<DeleteRecordsRequest>
{
    public const long HighWatermark = -1;

    public override ApiKey Key => ApiKey.DeleteRecords;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, DeleteRecordsRequest request)
    {
        var response = new DeleteRecordsResponse();
        foreach (var topic in request.Topics)
        {
            var result = new DeleteRecordsResponse.DeleteRecordsTopicResult { Name = topic.Name };
            foreach (var partition in topic.Partitions)
            {
                result.Partitions.Add(Delete(topic.Name, partition));
            }
            response.Topics.Add(result);
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }

    private DeleteRecordsResponse.DeleteRecordsPartitionResult Delete(string topic, DeleteRecordsRequest.DeleteRecordsPartition wanted)
    {
        var result = new DeleteRecordsResponse.DeleteRecordsPartitionResult { PartitionIndex = wanted.PartitionIndex, LowWatermark = -1 };
        if (!replicas.TryGetPartition(topic, wanted.PartitionIndex, out var partition))
        {
            result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
            return result;
        }
        var log = partition.Log;
        if (!log.Config.DeletePolicy)
        {
            // Kafka refuses to drop records a compact-only topic is meant to keep by key.
            result.ErrorCode = (short)ErrorCode.PolicyViolation;
            return result;
        }
        try
        {
            result.LowWatermark = log.DeleteRecordsBefore(wanted.Offset == HighWatermark ? log.HighWatermark : wanted.Offset);
        }
        catch (OffsetOutOfRangeException)
        {
            result.ErrorCode = (short)ErrorCode.OffsetOutOfRange;
        }
        catch (ObjectDisposedException)
        {
            // The topic was deleted while the request was being served.
            result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
        }
        return result;
    }
}
