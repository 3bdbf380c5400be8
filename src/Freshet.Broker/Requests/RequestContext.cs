using System.Buffers;
using Freshet.Broker.Network;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Requests;

/// <summary>
/// One request in flight: its header, its connection, and the pooled buffers its response
/// borrows (fetched record data), returned once the response has been sent.
/// </summary>
internal sealed class RequestContext(ConnectionContext connection, RequestHeader header) : IDisposable
{
    private List<byte[]>? _rented;

    public ConnectionContext Connection { get; } = connection;

    public RequestHeader Header { get; } = header;

    public ApiKey ApiKey => (ApiKey)Header.RequestApiKey;

    public short ApiVersion => Header.RequestApiVersion;

    public string? ClientId => Header.ClientId;

    public CancellationToken Closing => Connection.Closing;

    /// <summary>A pooled buffer that lives until the response is sent.</summary>
    public byte[] RentBuffer(int minimumLength)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(minimumLength);
        (_rented ??= []).Add(buffer);
        return buffer;
    }

    public void Dispose()
    {
        if (_rented is null)
        {
            return;
        }
        foreach (var buffer in _rented)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _rented = null;
    }
}
