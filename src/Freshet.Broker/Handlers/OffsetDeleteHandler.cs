using Freshet.Broker.Groups;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>OffsetDelete: removes committed offsets of topics the group no longer consumes.</summary>
internal sealed class OffsetDeleteHandler(GroupCoordinator coordinator) : ApiHandler<OffsetDeleteRequest>
{
    public override ApiKey Key => ApiKey.OffsetDelete;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, OffsetDeleteRequest request)
    {
        var partitions = request.Topics.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Name, p.PartitionIndex))).ToList();
        var (groupError, errors) = await coordinator.DeleteOffsetsAsync(request.GroupId, partitions).ConfigureAwait(false);
        var response = new OffsetDeleteResponse { ErrorCode = (short)groupError };
        if (groupError == ErrorCode.None)
        {
            var i = 0;
            foreach (var topic in request.Topics)
            {
                var topicResponse = new OffsetDeleteResponse.OffsetDeleteResponseTopic { Name = topic.Name };
                foreach (var partition in topic.Partitions)
                {
                    topicResponse.Partitions.Add(new OffsetDeleteResponse.OffsetDeleteResponsePartition
                    {
                        PartitionIndex = partition.PartitionIndex,
                        ErrorCode = (short)errors[i++],
                    });
                }
                response.Topics.Add(topicResponse);
            }
        }
        return response;
    }
}
