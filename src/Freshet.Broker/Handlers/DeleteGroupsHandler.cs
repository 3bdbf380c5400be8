using Freshet.Broker.Groups;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>DeleteGroups: each group must be empty (NON_EMPTY_GROUP otherwise) and known (GROUP_ID_NOT_FOUND).</summary>
internal sealed class DeleteGroupsHandler(GroupCoordinator coordinator) : ApiHandler<DeleteGroupsRequest>
{
    public override ApiKey Key => ApiKey.DeleteGroups;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, DeleteGroupsRequest request)
    {
        var response = new DeleteGroupsResponse();
        foreach (var groupId in request.GroupsNames)
        {
            response.Results.Add(new DeleteGroupsResponse.DeletableGroupResult { GroupId = groupId, ErrorCode = (short)coordinator.DeleteGroup(groupId) });
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }
}
