using System.Net;

namespace Freshet.Broker.Network;

/// <summary>What a request handler may know about the connection it arrived on.</summary>
internal sealed class ConnectionContext(long id, EndPoint? remoteEndPoint, ResponseChannel output, CancellationToken closing)
{
    public long Id { get; } = id;

    public EndPoint? RemoteEndPoint { get; } = remoteEndPoint;

    public ResponseChannel Output { get; } = output;

    /// <summary>Cancelled when the connection or the broker closes; long polls end with it.</summary>
    public CancellationToken Closing { get; } = closing;
}
