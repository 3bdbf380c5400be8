using Freshet.Broker.Groups;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>ListGroups, filtered by state (v4+) and by type (v5+: every group here is classic).</summary>
internal sealed class ListGroupsHandler(GroupCoordinator coordinator) : ApiHandler<ListGroupsRequest>
{
    public override ApiKey Key => ApiKey.ListGroups;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, ListGroupsRequest request)
    {
        var error = coordinator.List(request.StatesFilter, request.TypesFilter, out var groups);
        return ValueTask.FromResult<IResponseMessage?>(new ListGroupsResponse { ErrorCode = (short)error, Groups = groups });
    }
}
