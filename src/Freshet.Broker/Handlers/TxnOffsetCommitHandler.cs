using Freshet.Broker.Groups;
using Freshet.Broker.Replication;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>
/// TxnOffsetCommit: offsets of a consume-transform-produce transaction, written to __consumer_offsets as the
/// producer's transactional batch and visible once the transaction commits. Unknown partitions are refused.
/// </summary>
internal sealed class TxnOffsetCommitHandler(GroupCoordinator coordinator, ReplicaManager replicas) : ApiHandler<TxnOffsetCommitRequest>
{
    public override ApiKey Key => ApiKey.TxnOffsetCommit;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, TxnOffsetCommitRequest request)
    {
        var entries = new List<OffsetCommitEntry>();
        foreach (var topic in request.Topics)
        {
            foreach (var partition in topic.Partitions)
            {
                if (replicas.TryGetPartition(topic.Name, partition.PartitionIndex, out _))
                {
                    entries.Add(new OffsetCommitEntry(new TopicPartition(topic.Name, partition.PartitionIndex), partition.CommittedOffset, partition.CommittedLeaderEpoch, partition.CommittedMetadata));
                }
            }
        }
        var errors = await coordinator.CommitTransactionalAsync(
            request.GroupId, request.ProducerId, request.ProducerEpoch, request.GenerationId, request.MemberId, request.GroupInstanceId, entries).ConfigureAwait(false);
        var results = new CommitResults(entries, errors);
        var response = new TxnOffsetCommitResponse();
        foreach (var topic in request.Topics)
        {
            var topicResponse = new TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic { Name = topic.Name };
            foreach (var partition in topic.Partitions)
            {
                var error = results.For(topic.Name, partition.PartitionIndex);
                topicResponse.Partitions.Add(new TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition { PartitionIndex = partition.PartitionIndex, ErrorCode = (short)error });
            }
            response.Topics.Add(topicResponse);
        }
        return response;
    }
}
