using Freshet.Broker.Groups;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DeleteGroups: each group must be empty (NON_EMPTY_GROUP otherwise) and known (GROUP_ID_NOT_FOUND); answered once
/// every in-sync replica of __consumer_offsets has the tombstones.
/// </summary>
internal sealed class DeleteGroupsHandler(GroupCoordinator coordinator) : ApiHandler<DeleteGroupsRequest>
{
    public override ApiKey Key => ApiKey.DeleteGroups;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, DeleteGroupsRequest request)
    {
        // Every deletion is written first, then all are awaited: their tombstones replicate together.
        var deletions = new List<(string GroupId, Task<ErrorCode> Outcome)>(request.GroupsNames.Count);
        foreach (var groupId in request.GroupsNames)
        {
            deletions.Add((groupId, coordinator.DeleteGroupAsync(groupId).AsTask()));
        }
        var response = new DeleteGroupsResponse();
        foreach (var (groupId, outcome) in deletions)
        {
            response.Results.Add(new DeleteGroupsResponse.DeletableGroupResult { GroupId = groupId, ErrorCode = (short)await outcome.ConfigureAwait(false) });
        }
        return response;
    }
}
