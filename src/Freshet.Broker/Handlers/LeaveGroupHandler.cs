using Freshet.Broker.Groups;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>LeaveGroup: one member (v0-2) or a batch of members, static ones by instance id (v3+).</summary>
internal sealed class LeaveGroupHandler(GroupCoordinator coordinator) : ApiHandler<LeaveGroupRequest>
{
    private const short FirstBatchedVersion = 3;

    public override ApiKey Key => ApiKey.LeaveGroup;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, LeaveGroupRequest request)
    {
        var response = new LeaveGroupResponse();
        if (context.ApiVersion < FirstBatchedVersion)
        {
            var errors = coordinator.Leave(request.GroupId, [new GroupCoordinator.LeavingMember(request.MemberId, null)]);
            response.ErrorCode = (short)errors[0];
        }
        else
        {
            var leaving = request.Members.Select(m => new GroupCoordinator.LeavingMember(m.MemberId, m.GroupInstanceId)).ToList();
            var errors = coordinator.Leave(request.GroupId, leaving);
            for (var i = 0; i < leaving.Count; i++)
            {
                response.Members.Add(new LeaveGroupResponse.MemberResponse
                {
                    MemberId = leaving[i].MemberId,
                    GroupInstanceId = leaving[i].GroupInstanceId,
                    ErrorCode = (short)errors[i],
                });
            }
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }
}
