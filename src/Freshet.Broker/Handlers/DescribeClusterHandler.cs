using Freshet.Broker.Hosting;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>DescribeCluster (what the admin client's describeCluster uses): the live brokers and the active controller.</summary>
internal sealed class DescribeClusterHandler(BrokerNode node, Func<int> controllerId, TopicCatalog catalog) : ApiHandler<DescribeClusterRequest>
{
    public override ApiKey Key => ApiKey.DescribeCluster;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, DescribeClusterRequest request)
    {
        if (DescribeClusterEndpoints.Refusal(request, DescribeClusterEndpoints.Brokers, node.ClusterId) is { } refused)
        {
            return ValueTask.FromResult<IResponseMessage?>(refused);
        }
        var response = new DescribeClusterResponse
        {
            ClusterId = node.ClusterId,
            ControllerId = controllerId(),
            EndpointType = DescribeClusterEndpoints.Brokers,
        };
        foreach (var broker in catalog.Image.Brokers.Values)
        {
            if (!broker.Fenced && broker.Endpoints.Length > 0)
            {
                response.Brokers.Add(new DescribeClusterResponse.DescribeClusterBroker
                {
                    BrokerId = broker.Id,
                    Host = broker.Endpoints[0].Host,
                    Port = broker.Endpoints[0].Port,
                    Rack = broker.Rack,
                });
            }
        }
        response.Brokers.Sort((a, b) => a.BrokerId.CompareTo(b.BrokerId));
        return ValueTask.FromResult<IResponseMessage?>(response);
    }
}
