using Freshet.Broker.Cluster;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Serves a request meant for the active controller (BrokerRegistration, BrokerHeartbeat, AlterPartition,
/// AllocateProducerIds): run on the local controller when it is active, NOT_CONTROLLER otherwise, so the
/// sender looks up the new leader and tries there.
/// </summary>
internal sealed class ControllerRequestHandler<TRequest, TResponse>(
    ApiKey key,
    ControllerApis controller,
    Func<ControllerApis, TRequest, CancellationToken, Task<TResponse>> call,
    Func<ErrorCode, TResponse> failed) : ApiHandler<TRequest>
    where TRequest : IRequestMessage
    where TResponse : IResponseMessage
{
    public override ApiKey Key => key;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, TRequest request)
    {
        if (!controller.IsActive)
        {
            return failed(ErrorCode.NotController);
        }
        try
        {
            return await call(controller, request, context.Closing).ConfigureAwait(false);
        }
        catch (Metadata.Quorum.NotControllerException)
        {
            return failed(ErrorCode.NotController);
        }
    }
}
