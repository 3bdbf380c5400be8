using Freshet.Broker.Cluster;
using Freshet.Broker.Requests;
using Freshet.Metadata.Controller;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>ListPartitionReassignments: the moves in progress (replicas, adding, removing), all or for the given partitions.</summary>
internal sealed class ListPartitionReassignmentsHandler(QuorumController? controller, ControllerForwarding forwarding) : ApiHandler<ListPartitionReassignmentsRequest>
{
    public override ApiKey Key => ApiKey.ListPartitionReassignments;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, ListPartitionReassignmentsRequest request)
    {
        if (forwarding.ShouldForward(context))
        {
            return await forwarding.ForwardAsync(
                request, context.ApiVersion, ListPartitionReassignmentsResponse.Read, ct => ListAsync(request, ct),
                r => r.ErrorCode == (short)ErrorCode.NotController, context.Closing).ConfigureAwait(false);
        }
        return await ListAsync(request, context.Closing).ConfigureAwait(false);
    }

    private async Task<ListPartitionReassignmentsResponse> ListAsync(ListPartitionReassignmentsRequest request, CancellationToken cancellationToken)
    {
        if (controller is null)
        {
            // A broker-only node has no controller of its own to run a request that was forwarded to it.
            return new ListPartitionReassignmentsResponse { ErrorCode = (short)ErrorCode.NotController };
        }
        List<TopicPartitionName>? wanted = null;
        if (request.Topics is { } topics)
        {
            wanted = [];
            foreach (var topic in topics)
            {
                foreach (var index in topic.PartitionIndexes)
                {
                    wanted.Add(new TopicPartitionName(topic.Name, index));
                }
            }
        }
        var reply = await controller.ListPartitionReassignmentsAsync(wanted, cancellationToken).ConfigureAwait(false);
        var response = new ListPartitionReassignmentsResponse { ErrorCode = (short)reply.Error, ErrorMessage = null };
        var byTopic = new Dictionary<string, ListPartitionReassignmentsResponse.OngoingTopicReassignment>(StringComparer.Ordinal);
        foreach (var ongoing in reply.Reassignments)
        {
            if (!byTopic.TryGetValue(ongoing.Topic, out var topic))
            {
                topic = new ListPartitionReassignmentsResponse.OngoingTopicReassignment { Name = ongoing.Topic };
                byTopic[ongoing.Topic] = topic;
                response.Topics.Add(topic);
            }
            topic.Partitions.Add(new ListPartitionReassignmentsResponse.OngoingPartitionReassignment
            {
                PartitionIndex = ongoing.Partition,
                Replicas = [.. ongoing.Replicas],
                AddingReplicas = [.. ongoing.AddingReplicas],
                RemovingReplicas = [.. ongoing.RemovingReplicas],
            });
        }
        return response;
    }
}
