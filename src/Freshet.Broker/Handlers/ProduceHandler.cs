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
/// offset, a gap or an old epoch gets its Kafka error. With acks=0 no response is sent, acks=1 is
/// answered after the leader's append, acks=all once the high watermark passes the records (at once
/// with one replica), with no thread held while it waits.
/// </summary>
internal sealed class ProduceHandler(TopicCatalog catalog, ReplicaManager replicas, TimeProvider? time = null) : ApiHandler<ProduceRequest>
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public override ApiKey Key => ApiKey.Produce;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, ProduceRequest request)
    {
        var validAcks = request.Acks is 0 or 1 or -1;
        var response = new ProduceResponse();
        List<PendingAck>? pending = null;
        foreach (var topicData in request.TopicData)
        {
            var topicResponse = new ProduceResponse.TopicProduceResponse { Name = topicData.Name };
            foreach (var partitionData in topicData.PartitionData)
            {
                var result = validAcks
                    ? Append(topicData.Name, partitionData, context.ApiVersion, request.Acks)
                    : PartitionResult.Failed(ErrorCode.InvalidRequiredAcks, $"Acks must be -1, 0 or 1, not {request.Acks}.");
                var partitionResponse = result.ToResponse(partitionData.Index);
                topicResponse.PartitionResponses.Add(partitionResponse);
                if (request.Acks == -1 && result.Partition is { } partition)
                {
                    // acks=all: complete now when the ISR already has the records (always so with one replica).
                    var replicated = partition.WaitForHighWatermarkAsync(result.LastOffset + 1, CancellationToken.None);
                    if (replicated.IsCompletedSuccessfully)
                    {
                        SetError(partitionResponse, replicated.Result);
                    }
                    else
                    {
                        (pending ??= []).Add(new PendingAck(partitionResponse, partition, result.LastOffset + 1));
                    }
                }
            }
            response.Responses.Add(topicResponse);
        }
        if (pending is not null)
        {
            await AwaitReplicationAsync(pending, request.TimeoutMs, context.Closing).ConfigureAwait(false);
        }
        return request.Acks == 0 && validAcks ? null : response;
    }

    /// <summary>
    /// Waits, up to the request's timeout, until the high watermark of each partition passes its records:
    /// REQUEST_TIMED_OUT when it does not, NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR fell below min.insync.replicas.
    /// </summary>
    private static async Task AwaitReplicationAsync(List<PendingAck> pending, int timeoutMs, CancellationToken closing)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(closing);
        timeout.CancelAfter(Math.Max(0, timeoutMs));
        foreach (var ack in pending)
        {
            ErrorCode error;
            try
            {
                error = await ack.Partition.WaitForHighWatermarkAsync(ack.RequiredOffset, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                closing.ThrowIfCancellationRequested();
                error = ErrorCode.RequestTimedOut;
            }
            SetError(ack.Response, error);
        }
    }

    private static void SetError(ProduceResponse.PartitionProduceResponse response, ErrorCode error)
    {
        if (error != ErrorCode.None)
        {
            response.ErrorCode = (short)error;
            response.ErrorMessage = error switch
            {
                ErrorCode.RequestTimedOut => "The in-sync replicas did not all replicate the records within the request's timeout.",
                ErrorCode.NotEnoughReplicasAfterAppend => "The records were written, but the ISR fell below min.insync.replicas.",
                _ => "The leader lost leadership before the records were replicated.",
            };
        }
    }

    private PartitionResult Append(string topicName, ProduceRequest.PartitionProduceData data, short version, short acks)
    {
        if (!catalog.TryGet(topicName, out var topic) || !replicas.TryGetPartition(topicName, data.Index, out var partition))
        {
            return PartitionResult.Failed(ErrorCode.UnknownTopicOrPartition, $"This server does not host {topicName}-{data.Index}.");
        }
        if (!partition.IsLeader)
        {
            return PartitionResult.Failed(ErrorCode.NotLeaderOrFollower, $"This server does not lead {topicName}-{data.Index}.");
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
            return new PartitionResult(ErrorCode.None, null, info.FirstOffset, info.LogAppendTimeMs, partition.Log.LogStartOffset, info.LastOffset, partition);
        }
        catch (NotLeaderOrFollowerException ex)
        {
            return PartitionResult.Failed(ErrorCode.NotLeaderOrFollower, ex.Message);
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

    private sealed record PendingAck(ProduceResponse.PartitionProduceResponse Response, Partition Partition, long RequiredOffset);

    /// <summary>An append's outcome; <see cref="Partition"/> is set when records were appended (acks=all waits on it).</summary>
    private readonly record struct PartitionResult(
        ErrorCode Error, string? Message, long BaseOffset, long LogAppendTime, long LogStartOffset, long LastOffset = -1, Partition? Partition = null)
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
