using Freshet.Broker.Cluster;
using Freshet.Broker.Requests;
using Freshet.Metadata.Controller;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// ElectLeaders (kafka-leader-election): a preferred or unclean election for the given partitions, or for every
/// partition when none are given. Decided by the active controller; other brokers forward the request there.
/// </summary>
internal sealed class ElectLeadersHandler(QuorumController? controller, ControllerForwarding forwarding) : ApiHandler<ElectLeadersRequest>
{
    public override ApiKey Key => ApiKey.ElectLeaders;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, ElectLeadersRequest request)
    {
        if (forwarding.ShouldForward(context))
        {
            return await forwarding.ForwardAsync(
                request, context.ApiVersion, ElectLeadersResponse.Read, ct => ElectAsync(request, context.ApiVersion, ct),
                r => r.ErrorCode == (short)ErrorCode.NotController, context.Closing).ConfigureAwait(false);
        }
        return await ElectAsync(request, context.ApiVersion, context.Closing).ConfigureAwait(false);
    }

    private async Task<ElectLeadersResponse> ElectAsync(ElectLeadersRequest request, short version, CancellationToken cancellationToken)
    {
        if (controller is null)
        {
            // A broker-only node has no controller of its own to run a request that was forwarded to it.
            return new ElectLeadersResponse { ErrorCode = (short)ErrorCode.NotController };
        }
        // Version 0 has no election type: it asks for the preferred leader.
        var type = version == 0 ? ElectionType.Preferred : (ElectionType)request.ElectionType;
        if (type is not (ElectionType.Preferred or ElectionType.Unclean))
        {
            return new ElectLeadersResponse { ErrorCode = (short)ErrorCode.InvalidRequest };
        }
        List<TopicPartitionName>? partitions = null;
        if (request.TopicPartitions is { } asked)
        {
            partitions = [];
            foreach (var topic in asked)
            {
                foreach (var partition in topic.Partitions)
                {
                    partitions.Add(new TopicPartitionName(topic.Topic, partition));
                }
            }
        }
        var reply = await controller.ElectLeadersAsync(type, partitions, cancellationToken).ConfigureAwait(false);
        var response = new ElectLeadersResponse { ErrorCode = (short)reply.Error };
        var byTopic = new Dictionary<string, ElectLeadersResponse.ReplicaElectionResult>(StringComparer.Ordinal);
        foreach (var result in reply.Partitions)
        {
            if (!byTopic.TryGetValue(result.Topic, out var topicResult))
            {
                topicResult = new ElectLeadersResponse.ReplicaElectionResult { Topic = result.Topic };
                byTopic[result.Topic] = topicResult;
                response.ReplicaElectionResults.Add(topicResult);
            }
            topicResult.PartitionResult.Add(new ElectLeadersResponse.PartitionResult
            {
                PartitionId = result.Partition,
                ErrorCode = (short)result.Error,
                ErrorMessage = result.Message,
            });
        }
        return response;
    }
}
