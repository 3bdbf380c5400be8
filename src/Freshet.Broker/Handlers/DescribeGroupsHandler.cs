using Freshet.Broker.Groups;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>DescribeGroups: state, protocol and members; an unknown group is reported as Dead, as Kafka does before v6.</summary>
internal sealed class DescribeGroupsHandler(GroupCoordinator coordinator) : ApiHandler<DescribeGroupsRequest>
{
    public override ApiKey Key => ApiKey.DescribeGroups;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, DescribeGroupsRequest request)
    {
        var response = new DescribeGroupsResponse();
        foreach (var groupId in request.Groups)
        {
            response.Groups.Add(coordinator.Describe(groupId));
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }
}
