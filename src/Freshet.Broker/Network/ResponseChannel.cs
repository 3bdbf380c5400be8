using System.Net.Sockets;

namespace Freshet.Broker.Network;

/// <summary>
/// Sends whole response frames on a connection. Only the connection's own loop writes, one
/// response at a time, which is what keeps responses in request order.
/// </summary>
internal sealed class ResponseChannel(Socket socket)
{
    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        while (!frame.IsEmpty)
        {
            var sent = await socket.SendAsync(frame, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            frame = frame[sent..];
        }
    }
}
