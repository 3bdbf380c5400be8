using Freshet.Broker.Groups;
using Freshet.Broker.Replication;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>
/// OffsetCommit: a member's commit is checked against its generation (generation -1 is a
/// simple consumer committing for a group without members), and answered once every in-sync replica of
/// __consumer_offsets has it. Unknown partitions are refused.
/// </summary>
internal sealed class OffsetCommitHandler(GroupCoordinator coordinator, ReplicaManager replicas) : ApiHandler<OffsetCommitRequest>
{
    public override ApiKey Key => ApiKey.OffsetCommit;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, OffsetCommitRequest request)
    {
        var entries = new List<OffsetCommitEntry>();
        foreach (var topic in request.Topics)
        {
            foreach (var partition in topic.Partitions)
            {
                if (replicas.TryGetPartition(topic.Name, partition.PartitionIndex, out _))
                {
                    entries.Add(new OffsetCommitEntry(
                        new TopicPartition(topic.Name, partition.PartitionIndex),
                        partition.CommittedOffset,
                        partition.CommittedLeaderEpoch,
                        partition.CommittedMetadata));
                }
            }
        }
        var errors = await coordinator.CommitAsync(request.GroupId, request.GenerationIdOrMemberEpoch, request.MemberId, request.GroupInstanceId, entries).ConfigureAwait(false);
        var results = new CommitResults(entries, errors);
        var response = new OffsetCommitResponse();
        foreach (var topic in request.Topics)
        {
            var topicResponse = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = topic.Name };
            foreach (var partition in topic.Partitions)
            {
                var error = results.For(topic.Name, partition.PartitionIndex);
                topicResponse.Partitions.Add(new OffsetCommitResponse.OffsetCommitResponsePartition
                {
                    PartitionIndex = partition.PartitionIndex,
                    ErrorCode = (short)error,
                });
            }
            response.Topics.Add(topicResponse);
        }
        return response;
    }
}
