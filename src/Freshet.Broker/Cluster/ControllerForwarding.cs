using Freshet.Broker.InterBroker;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Cluster;

/// <summary>
/// Admin requests that change the cluster (topics, configs, elections) are decided by the active controller. A
/// broker that is not it forwards the client's request there unchanged and relays the answer, as Kafka's brokers
/// forward to their controller.
/// </summary>
internal sealed class ControllerForwarding(ControllerChannel channel, ControllerApis? controller)
{
    /// <summary>True when this node must pass the request on: it is not the active controller and the request was not forwarded already.</summary>
    public bool ShouldForward(RequestContext context) => controller is not { IsActive: true } && channel.MayForward(context);

    /// <param name="local">Serves the request here, for when the channel finds this node became the controller meanwhile.</param>
    /// <param name="isNotController">True when the answer says the receiver was not the controller, so the request goes again.</param>
    public async ValueTask<IResponseMessage?> ForwardAsync<TResponse>(
        IRequestMessage request,
        short version,
        ResponseReader<TResponse> read,
        Func<CancellationToken, Task<TResponse>> local,
        Func<TResponse, bool> isNotController,
        CancellationToken cancellationToken)
        where TResponse : IResponseMessage =>
        await channel.SendAsync(request, version, read, local, isNotController, cancellationToken).ConfigureAwait(false);
}
