using Freshet.Broker.Replication;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>DescribeProducers: the producers each partition holds state for, with their epoch, last sequence and open transaction.</summary>
internal sealed class DescribeProducersHandler(ReplicaManager replicas) : ApiHandler<DescribeProducersRequest>
{
    public override ApiKey Key => ApiKey.DescribeProducers;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, DescribeProducersRequest request)
    {
        var response = new DescribeProducersResponse();
        foreach (var topic in request.Topics)
        {
            var topicResponse = new DescribeProducersResponse.TopicResponse { Name = topic.Name };
            foreach (var index in topic.PartitionIndexes)
            {
                topicResponse.Partitions.Add(Describe(topic.Name, index));
            }
            response.Topics.Add(topicResponse);
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }

    private DescribeProducersResponse.PartitionResponse Describe(string topic, int index)
    {
        var result = new DescribeProducersResponse.PartitionResponse { PartitionIndex = index };
        if (!replicas.TryGetPartition(topic, index, out var partition))
        {
            result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
            return result;
        }
        if (partition.Log.IsOffline)
        {
            result.ErrorCode = (short)ErrorCode.KafkaStorageError;
            return result;
        }
        foreach (var producer in partition.Log.ActiveProducers())
        {
            result.ActiveProducers.Add(new DescribeProducersResponse.ProducerState
            {
                ProducerId = producer.ProducerId,
                ProducerEpoch = producer.Epoch,
                LastSequence = producer.LastSequence,
                LastTimestamp = producer.LastTimestamp,
                CoordinatorEpoch = producer.CoordinatorEpoch,
                CurrentTxnStartOffset = producer.CurrentTxnFirstOffset,
            });
        }
        return result;
    }
}
