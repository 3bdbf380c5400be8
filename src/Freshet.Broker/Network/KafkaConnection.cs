using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Freshet.Broker.Diagnostics;
using Freshet.Broker.Requests;
using Freshet.Protocol.Framing;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Network;

/// <summary>
/// One client connection: a bounded, ordered loop that reads frames from a pipe and handles
/// them one at a time, so responses leave in request order — Kafka likewise processes one
/// request per connection at a time while the next ones wait, already read, in the pipe.
/// </summary>
internal sealed class KafkaConnection(
    long id,
    Socket socket,
    RequestDispatcher dispatcher,
    int maxFrameSize,
    ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _closing = new();

    public long Id { get; } = id;

    public EndPoint? RemoteEndPoint { get; } = socket.RemoteEndPoint;

    public async Task RunAsync()
    {
        using var stream = new NetworkStream(socket, ownsSocket: false);
        // The socket is read only between requests, so a client that floods requests is
        // slowed by TCP back-pressure; a partial frame never holds more than maxFrameSize.
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096, leaveOpen: true));
        // Plaintext: record data goes from the segment files to the socket with sendfile (Linux).
        using var output = new ResponseChannel(socket, sendsFromFiles: OperatingSystem.IsLinux());
        var context = new ConnectionContext(Id, RemoteEndPoint, output, _closing.Token);
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var result = await reader.ReadAsync(_closing.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var close = false;
                while (true)
                {
                    var status = FrameDecoder.TryReadFrame(ref buffer, maxFrameSize, out var frame, out var declaredSize);
                    if (status == FrameStatus.Incomplete)
                    {
                        break;
                    }
                    if (status != FrameStatus.Complete)
                    {
                        BrokerLog.BadFrameSize(logger, Id, RemoteEndPoint, declaredSize, maxFrameSize);
                        close = true;
                        break;
                    }
                    if (!await HandleFrameAsync(context, frame).ConfigureAwait(false))
                    {
                        close = true;
                        break;
                    }
                }
                if (close)
                {
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
        }
        catch (IOException ex)
        {
            BrokerLog.ConnectionFaulted(logger, Id, RemoteEndPoint, ex.Message);
        }
        catch (SocketException ex)
        {
            BrokerLog.ConnectionFaulted(logger, Id, RemoteEndPoint, ex.Message);
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            CloseSocket();
        }
    }

    private async ValueTask<bool> HandleFrameAsync(ConnectionContext context, ReadOnlySequence<byte> frame)
    {
        // A frame is copied once into a pooled array: handlers need it contiguous, and Produce
        // rewrites offsets in place before the batches reach the log.
        var length = (int)frame.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            frame.CopyTo(rented);
            return await dispatcher.DispatchAsync(context, rented.AsMemory(0, length)).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public void Close()
    {
        if (!_closing.IsCancellationRequested)
        {
            _closing.Cancel();
        }
        CloseSocket();
    }

    private void CloseSocket()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        socket.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Close();
        _closing.Dispose();
        return ValueTask.CompletedTask;
    }
}
