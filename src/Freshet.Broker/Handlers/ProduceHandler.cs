using System.Runtime.InteropServices;
using Freshet.Broker.Replication;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;
using Freshet.Storage;
using Freshet.Storage.Producers;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Produce: validates each partition's batches and appends them to the leader's log. The
/// batches stay as the producer sent them (compressed, untouched records) unless the topic's
/// compression.type asks for another codec; only base offset, leader epoch and, for
/// LogAppendTime topics, the timestamp are rewritten. Idempotent and transactional batches are
/// checked against the partition's producer state: a retry is acknowledged with its original
/// offset, a gap or an old epoch gets its Kafka error. With acks=0 no response is sent; with
/// one replica acks=1 and acks=all are complete after the append.
/// </summary>
internal sealed class ProduceHandler(TopicCatalog catalog, ReplicaManager replicas, TimeProvider? time = null) : ApiHandler<ProduceRequest>
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public override ApiKey Key => ApiKey.Produce;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, ProduceRequest request)
    {
        var validAcks = request.Acks is 0 or 1 or -1;
        var response = new ProduceResponse();
        foreach (var topicData in request.TopicData)
        {
            var topicResponse = new ProduceResponse.TopicProduceResponse { Name = topicData.Name };
            foreach (var partitionData in topicData.PartitionData)
            {
                var result = validAcks
                    ? Append(topicData.Name, partitionData, context.ApiVersion, request.Acks)
                    : PartitionResult.Failed(ErrorCode.InvalidRequiredAcks, $"Acks must be -1, 0 or 1, not {request.Acks}.");
                topicResponse.PartitionResponses.Add(result.ToResponse(partitionData.Index));
            }
            response.Responses.Add(topicResponse);
        }
        return ValueTask.FromResult<IResponseMessage?>(request.Acks == 0 && validAcks ? null : response);
    }

    private PartitionResult Append(string topicName, ProduceRequest.PartitionProduceData data, short version, short acks)
    {
        if (!catalog.TryGet(topicName, out var topic) || !replicas.TryGetPartition(topicName, data.Index, out var partition))
        {
            return PartitionResult.Failed(ErrorCode.UnknownTopicOrPartition, $"This server does not host {topicName}-{data.Index}.");
        }
        if (topic.IsInternal)
        {
            return PartitionResult.Failed(ErrorCode.InvalidTopicException, $"Clients may not write to the internal topic {topicName}.");
        }
        if (acks == -1 && partition.InSyncReplicaCount < partition.MinInSyncReplicas)
        {
            return PartitionResult.Failed(ErrorCode.NotEnoughReplicas, $"{topicName}-{data.Index} has {partition.InSyncReplicaCount} in-sync replica(s), fewer than min.insync.replicas ({partition.MinInSyncReplicas}).");
        }
        if (data.Records is not { Length: > 0 } records)
        {
            return PartitionResult.Failed(ErrorCode.CorruptMessage, "The request carries no record batch.");
        }
        // The frame buffer belongs to this request and nothing else reads it, so the batches
        // can be rewritten where they lie instead of being copied.
        var batches = MemoryMarshal.AsMemory(records);
        var config = partition.Log.Config;
        var check = ProduceValidation.Validate(batches, config, version);
        if (check.Error == ErrorCode.None)
        {
            check = ProduceTimestamps.Validate(check, config, _time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        if (check.Error == ErrorCode.None)
        {
            check = ProduceRecompression.Apply(check, config);
        }
        if (check.Error != ErrorCode.None)
        {
            return PartitionResult.Failed(check.Error, check.Message);
        }
        try
        {
            var info = partition.AppendAsLeader(check.Batches.Span);
            return new PartitionResult(ErrorCode.None, null, info.FirstOffset, info.LogAppendTimeMs, partition.Log.LogStartOffset);
        }
        catch (RecordBatchTooLargeException ex)
        {
            return PartitionResult.Failed(ErrorCode.RecordListTooLarge, ex.Message);
        }
        catch (ProducerStateException ex)
        {
            return PartitionResult.Failed(ProducerStateErrors.CodeOf(ex), ex.Message);
        }
        catch (CorruptRecordException ex)
        {
            return PartitionResult.Failed(ErrorCode.CorruptMessage, ex.Message);
        }
        catch (IOException ex)
        {
            return PartitionResult.Failed(ErrorCode.KafkaStorageError, ex.Message);
        }
    }

    private readonly record struct PartitionResult(ErrorCode Error, string? Message, long BaseOffset, long LogAppendTime, long LogStartOffset)
    {
        public static PartitionResult Failed(ErrorCode error, string? message) => new(error, message, -1, -1, -1);

        public ProduceResponse.PartitionProduceResponse ToResponse(int index) => new()
        {
            Index = index,
            ErrorCode = (short)Error,
            ErrorMessage = Message,
            BaseOffset = BaseOffset,
            LogAppendTimeMs = LogAppendTime,
            LogStartOffset = LogStartOffset,
        };
    }
}
