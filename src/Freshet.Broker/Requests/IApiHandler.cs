using Freshet.Protocol.Messages;

namespace Freshet.Broker.Requests;

/// <summary>
/// Serves one Kafka API. The versions a handler declares are exactly what ApiVersions
/// advertises for its key, so the broker never claims a version it cannot serve.
/// </summary>
internal interface IApiHandler
{
    ApiKey Key { get; }

    short MinVersion { get; }

    short MaxVersion { get; }

    /// <summary>The response, or null when none is sent (Produce with acks=0).</summary>
    ValueTask<IResponseMessage?> HandleAsync(RequestContext context, IRequestMessage request);
}

/// <summary>Casts the decoded request to its type once, so each handler deals in its own message.</summary>
internal abstract class ApiHandler<TRequest> : IApiHandler
    where TRequest : IRequestMessage
{
    public abstract ApiKey Key { get; }

    public virtual short MinVersion => ApiCatalog.Get(Key).LowestVersion;

    public virtual short MaxVersion => ApiCatalog.Get(Key).HighestVersion;

    public ValueTask<IResponseMessage?> HandleAsync(RequestContext context, IRequestMessage request) =>
        HandleAsync(context, (TRequest)request);

    protected abstract ValueTask<IResponseMessage?> HandleAsync(RequestContext context, TRequest request);
}
