using Freshet.Broker.Cluster;
using Freshet.Broker.Requests;
using Freshet.Metadata.Controller;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// AlterPartitionReassignments (kafka-reassign-partitions): moves partitions to new replica lists, or cancels a
/// move with a null list. The controller adds the target replicas, waits for them to join the ISR through
/// AlterPartition, then drops the others. Other brokers forward the request to the active controller.
/// </summary>
internal sealed class AlterPartitionReassignmentsHandler(QuorumController? controller, ControllerForwarding forwarding) : ApiHandler<AlterPartitionReassignmentsRequest>
{
    public override ApiKey Key => ApiKey.AlterPartitionReassignments;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, AlterPartitionReassignmentsRequest request)
    {
        if (forwarding.ShouldForward(context))
        {
            return await forwarding.ForwardAsync(
                request, context.ApiVersion, AlterPartitionReassignmentsResponse.Read, ct => ReassignAsync(request, ct),
                r => r.ErrorCode == (short)ErrorCode.NotController, context.Closing).ConfigureAwait(false);
        }
        return await ReassignAsync(request, context.Closing).ConfigureAwait(false);
    }

    private async Task<AlterPartitionReassignmentsResponse> ReassignAsync(AlterPartitionReassignmentsRequest request, CancellationToken cancellationToken)
    {
        if (controller is null)
        {
            // A broker-only node has no controller of its own to run a request that was forwarded to it.
            return new AlterPartitionReassignmentsResponse { ErrorCode = (short)ErrorCode.NotController };
        }
        var specs = new List<ReassignmentSpec>();
        foreach (var topic in request.Topics)
        {
            foreach (var partition in topic.Partitions)
            {
                specs.Add(new ReassignmentSpec(topic.Name, partition.PartitionIndex, partition.Replicas));
            }
        }
        var reply = await controller.AlterPartitionReassignmentsAsync(specs, cancellationToken).ConfigureAwait(false);
        var response = new AlterPartitionReassignmentsResponse { ErrorCode = (short)reply.Error, ErrorMessage = null };
        var byTopic = new Dictionary<string, AlterPartitionReassignmentsResponse.ReassignableTopicResponse>(StringComparer.Ordinal);
        foreach (var result in reply.Partitions)
        {
            if (!byTopic.TryGetValue(result.Topic, out var topic))
            {
                topic = new AlterPartitionReassignmentsResponse.ReassignableTopicResponse { Name = result.Topic };
                byTopic[result.Topic] = topic;
                response.Responses.Add(topic);
            }
            topic.Partitions.Add(new AlterPartitionReassignmentsResponse.ReassignablePartitionResponse
            {
                PartitionIndex = result.Partition,
                ErrorCode = (short)result.Error,
                ErrorMessage = result.Message,
            });
        }
        return response;
    }
}
