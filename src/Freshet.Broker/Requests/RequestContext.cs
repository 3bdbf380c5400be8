using Freshet.Broker.Network;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Requests;

/// <summary>
/// One request in flight: its header, its connection, and what its response borrows (fetched
/// record data), released once the response has been sent.
/// </summary>
internal sealed class RequestContext(ConnectionContext connection, RequestHeader header) : IDisposable
{
    private List<IDisposable>? _owned;

    public ConnectionContext Connection { get; } = connection;

    public RequestHeader Header { get; } = header;

    public ApiKey ApiKey => (ApiKey)Header.RequestApiKey;

    public short ApiVersion => Header.RequestApiVersion;

    public string? ClientId => Header.ClientId;

    public CancellationToken Closing => Connection.Closing;

    /// <summary>Disposes <paramref name="resource"/> once the response has been sent (record data it refers to).</summary>
    public T Own<T>(T resource)
        where T : IDisposable
    {
        (_owned ??= []).Add(resource);
        return resource;
    }

    public void Dispose()
    {
        if (_owned is not null)
        {
            foreach (var resource in _owned)
            {
                resource.Dispose();
            }
            _owned = null;
        }
    }
}
