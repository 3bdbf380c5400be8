using Freshet.Broker.Groups;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>Heartbeat: keeps the member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin.</summary>
internal sealed class HeartbeatHandler(GroupCoordinator coordinator) : ApiHandler<HeartbeatRequest>
{
    public override ApiKey Key => ApiKey.Heartbeat;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, HeartbeatRequest request)
    {
        var error = coordinator.Heartbeat(request.GroupId, request.GenerationId, request.MemberId, request.GroupInstanceId);
        return ValueTask.FromResult<IResponseMessage?>(new HeartbeatResponse { ErrorCode = (short)error });
    }
}
