using Freshet.Broker.Groups;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>
/// OffsetFetch: one group (v0-7) or a batch of groups (v8+); null topics (v2+) mean every
/// committed partition. A partition without a commit answers offset -1 and empty metadata. With
/// require_stable (v7+), a partition with offsets of an open transaction answers UNSTABLE_OFFSET_COMMIT,
/// so a read_committed consumer waits for the transaction to end instead of starting from an old offset.
/// </summary>
internal sealed class OffsetFetchHandler(GroupCoordinator coordinator) : ApiHandler<OffsetFetchRequest>
{
    private const short FirstBatchedVersion = 8;
    private const long NoOffset = -1;

    public override ApiKey Key => ApiKey.OffsetFetch;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, OffsetFetchRequest request)
    {
        var response = new OffsetFetchResponse();
        if (context.ApiVersion >= FirstBatchedVersion)
        {
            foreach (var group in request.Groups)
            {
                var partitions = group.Topics?.SelectMany(t => t.PartitionIndexes.Select(p => new TopicPartition(t.Name, p))).ToList();
                var error = coordinator.Fetch(group.GroupId, partitions, out var offsets);
                var unstable = Unstable(request, group.GroupId);
                var groupResponse = new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = group.GroupId, ErrorCode = (short)error };
                foreach (var byTopic in offsets.GroupBy(o => o.Partition.Topic))
                {
                    groupResponse.Topics.Add(new OffsetFetchResponse.OffsetFetchResponseTopics
                    {
                        Name = byTopic.Key,
                        Partitions = [.. byTopic.Select(o => new OffsetFetchResponse.OffsetFetchResponsePartitions
                        {
                            PartitionIndex = o.Partition.Partition,
                            CommittedOffset = unstable.Contains(o.Partition) ? NoOffset : o.Offset?.Offset ?? NoOffset,
                            CommittedLeaderEpoch = o.Offset?.LeaderEpoch ?? -1,
                            Metadata = o.Offset?.Metadata ?? "",
                            ErrorCode = (short)(unstable.Contains(o.Partition) ? ErrorCode.UnstableOffsetCommit : ErrorCode.None),
                        })],
                    });
                }
                response.Groups.Add(groupResponse);
            }
        }
        else
        {
            var partitions = request.Topics?.SelectMany(t => t.PartitionIndexes.Select(p => new TopicPartition(t.Name, p))).ToList();
            var error = coordinator.Fetch(request.GroupId, partitions, out var offsets);
            var unstable = Unstable(request, request.GroupId);
            response.ErrorCode = (short)error;
            foreach (var byTopic in offsets.GroupBy(o => o.Partition.Topic))
            {
                response.Topics.Add(new OffsetFetchResponse.OffsetFetchResponseTopic
                {
                    Name = byTopic.Key,
                    Partitions = [.. byTopic.Select(o => new OffsetFetchResponse.OffsetFetchResponsePartition
                    {
                        PartitionIndex = o.Partition.Partition,
                        CommittedOffset = unstable.Contains(o.Partition) ? NoOffset : o.Offset?.Offset ?? NoOffset,
                        CommittedLeaderEpoch = o.Offset?.LeaderEpoch ?? -1,
                        Metadata = o.Offset?.Metadata ?? "",
                        // v0-1 have no top-level error code, so a coordinator error goes on each partition.
                        ErrorCode = (short)(unstable.Contains(o.Partition) ? ErrorCode.UnstableOffsetCommit : error),
                    })],
                });
            }
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }

    private HashSet<TopicPartition> Unstable(OffsetFetchRequest request, string groupId) =>
        request.RequireStable ? coordinator.UnstablePartitions(groupId) : [];
}
