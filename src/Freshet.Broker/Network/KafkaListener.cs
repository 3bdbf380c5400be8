using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Freshet.Broker.Diagnostics;
using Freshet.Broker.Requests;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Network;

/// <summary>
/// Accepts TCP connections and runs one <see cref="KafkaConnection"/> loop for each, up to
/// max.connections; the connections past that are closed at once, as Kafka does.
/// </summary>
internal sealed class KafkaListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private RequestDispatcher? _dispatcher;
    private readonly int _maxFrameSize;
    private readonly int _maxConnections;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, (KafkaConnection Connection, Task Loop)> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextConnectionId;

    /// <summary>Binds at once, so the real port is known before the handlers that advertise it exist.</summary>
    public KafkaListener(IPEndPoint endPoint, int maxFrameSize, int maxConnections, ILogger logger)
    {
        _maxFrameSize = maxFrameSize;
        _maxConnections = maxConnections;
        _logger = logger;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.Bind(endPoint);
        _socket.Listen(512);
        BoundEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint BoundEndPoint { get; }

    public int ConnectionCount => _connections.Count;

    public void Start(RequestDispatcher dispatcher)
    {
        _dispatcher = dispatcher;
        _acceptLoop = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                BrokerLog.AcceptFailed(_logger, ex.Message);
                continue;
            }
            if (_connections.Count >= _maxConnections)
            {
                BrokerLog.ConnectionRefused(_logger, client.RemoteEndPoint, _maxConnections);
                client.Dispose();
                continue;
            }
            client.NoDelay = true;
            var id = Interlocked.Increment(ref _nextConnectionId);
            var connection = new KafkaConnection(id, client, _dispatcher!, _maxFrameSize, _logger);
            var loop = RunConnectionAsync(connection);
            _connections[id] = (connection, loop);
        }
    }

    private async Task RunConnectionAsync(KafkaConnection connection)
    {
        // Yield so the accept loop goes straight back to accepting.
        await Task.Yield();
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            BrokerLog.ConnectionFaulted(_logger, connection.Id, connection.RemoteEndPoint, ex.ToString());
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        _stopping.Cancel();
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        var loops = new List<Task>();
        foreach (var (connection, loop) in _connections.Values)
        {
            connection.Close();
            loops.Add(loop);
        }
        await Task.WhenAll(loops).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
