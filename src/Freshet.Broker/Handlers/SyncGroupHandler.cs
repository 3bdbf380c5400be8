using Freshet.Broker.Groups;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>SyncGroup: the leader sends the assignment; every member waits for its share.</summary>
internal sealed class SyncGroupHandler(GroupCoordinator coordinator) : ApiHandler<SyncGroupRequest>
{
    public override ApiKey Key => ApiKey.SyncGroup;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, SyncGroupRequest request)
    {
        var assignments = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (var assignment in request.Assignments)
        {
            assignments[assignment.MemberId] = assignment.Assignment;
        }
        return await coordinator.SyncAsync(
                request.GroupId,
                request.GenerationId,
                request.MemberId,
                request.GroupInstanceId,
                request.ProtocolType,
                request.ProtocolName,
                assignments)
            .WaitAsync(context.Closing)
            .ConfigureAwait(false);
    }
}
