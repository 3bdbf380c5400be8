using System.Net;
using System.Net.Sockets;

namespace Freshet.Bench.Ceiling;

/// <summary>
/// The ceiling: a Kafka-protocol server that does the least a broker can (see <see cref="CeilingPartition"/>), so that
/// a load run against it measures what the client and the loopback can do on this machine.
/// </summary>
internal sealed class CeilingServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly CeilingTopics _topics = new();
    private readonly Task _accepting;

    private CeilingServer(Socket listener)
    {
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint { get; }

    public static CeilingServer Start(IPEndPoint endPoint)
    {
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(endPoint);
        listener.Listen(512);
        return new CeilingServer(listener);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var host = EndPoint.Address.ToString();
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptAsync(_stop.Token);
            socket.NoDelay = true;
            var connection = new CeilingConnection(socket, _topics, host, EndPoint.Port);
            _ = Task.Run(() => connection.RunAsync(_stop.Token));
        }
    }
}
