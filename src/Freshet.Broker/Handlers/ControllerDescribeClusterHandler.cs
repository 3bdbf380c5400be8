using Freshet.Broker.Hosting;
using Freshet.Broker.Requests;
using Freshet.Metadata.Quorum;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DescribeCluster at a dedicated controller (KIP-919, endpoint_type 2): the controller quorum's voters at their
/// Kafka-protocol listeners, and the active controller as controller_id, as Kafka's controllers answer it.
/// </summary>
internal sealed class ControllerDescribeClusterHandler(BrokerNode node, ControllerQuorum quorum) : ApiHandler<DescribeClusterRequest>
{
    public override ApiKey Key => ApiKey.DescribeCluster;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, DescribeClusterRequest request)
    {
        if (DescribeClusterEndpoints.Refusal(request, DescribeClusterEndpoints.Controllers, node.ClusterId) is { } refused)
        {
            return refused;
        }
        var listeners = await quorum.ControllerListenersAsync(context.Closing).ConfigureAwait(false);
        var response = new DescribeClusterResponse
        {
            ClusterId = node.ClusterId,
            ControllerId = quorum.LeaderId ?? -1,
            EndpointType = DescribeClusterEndpoints.Controllers,
        };
        foreach (var listener in listeners)
        {
            response.Brokers.Add(new DescribeClusterResponse.DescribeClusterBroker { BrokerId = listener.NodeId, Host = listener.Host, Port = listener.Port });
        }
        return response;
    }
}
