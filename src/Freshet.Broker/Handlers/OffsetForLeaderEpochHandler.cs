using Freshet.Broker.Replication;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// OffsetForLeaderEpoch: for each partition, the largest leader epoch at or below the one asked for and the offset
/// where it ends (the start of the next epoch, or the log end for the latest), from the leader's epoch cache. A
/// consumer uses it to detect log truncation after a leader change (KIP-320). Served by the leader only.
/// </summary>
internal sealed class OffsetForLeaderEpochHandler(ReplicaManager replicas) : ApiHandler<OffsetForLeaderEpochRequest>
{
    public override ApiKey Key => ApiKey.OffsetForLeaderEpoch;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, OffsetForLeaderEpochRequest request)
    {
        var response = new OffsetForLeaderEpochResponse();
        foreach (var topic in request.Topics)
        {
            var topicResult = new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult { Topic = topic.Topic };
            foreach (var wanted in topic.Partitions)
            {
                topicResult.Partitions.Add(Lookup(topic.Topic, wanted));
            }
            response.Topics.Add(topicResult);
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }

    private OffsetForLeaderEpochResponse.EpochEndOffset Lookup(string topic, OffsetForLeaderEpochRequest.OffsetForLeaderPartition wanted)
    {
        var result = new OffsetForLeaderEpochResponse.EpochEndOffset { Partition = wanted.Partition };
        if (!replicas.TryGetPartition(topic, wanted.Partition, out var partition))
        {
            result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
            return result;
        }
        var leadership = partition.CheckLeaderEpoch(wanted.CurrentLeaderEpoch, requireLeader: true);
        if (leadership != ErrorCode.None)
        {
            result.ErrorCode = (short)leadership;
            return result;
        }
        if (partition.Log.IsOffline)
        {
            result.ErrorCode = (short)ErrorCode.KafkaStorageError;
            return result;
        }
        var (epoch, endOffset) = partition.Log.EndOffsetForEpoch(wanted.LeaderEpoch);
        result.LeaderEpoch = epoch;
        result.EndOffset = endOffset;
        return result;
    }
}
