using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Broker.InterBroker;

/// <summary>
/// One connection from this broker to another: requests are pipelined and their responses matched by
/// correlation id, so a replica fetcher's long poll does not hold up a controller call on the same link.
/// A broken connection fails every pending call with <see cref="IOException"/>; the owner reconnects.
/// </summary>
internal sealed class BrokerClient : IAsyncDisposable
{
    // Larger than any response this broker asks for (replica.fetch.response.max.bytes is 10 MiB by default).
    private const int MaxResponseBytes = 256 * 1024 * 1024;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly string _clientId;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<byte[]>> _pending = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly Task _readLoop;
    private int _nextCorrelationId;
    private Exception? _failure;

    private BrokerClient(TcpClient tcp, string clientId)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _clientId = clientId;
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public string Endpoint { get; private init; } = "";

    public bool IsConnected => _failure is null && !_closed.IsCancellationRequested;

    public static async Task<BrokerClient> ConnectAsync(string host, int port, string clientId, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            tcp.Dispose();
            throw new IOException($"Cannot connect to broker at {host}:{port}: {e.Message}", e);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
        return new BrokerClient(tcp, clientId) { Endpoint = $"{host}:{port}" };
    }

    /// <summary>Sends the request at <paramref name="version"/> and decodes the matching response with <paramref name="read"/>.</summary>
    /// <exception cref="IOException">The connection broke before the response arrived.</exception>
    public async Task<TResponse> SendAsync<TResponse>(IRequestMessage request, short version, ResponseReader<TResponse> read, CancellationToken cancellationToken)
    {
        var spec = ApiCatalog.Get(request.ApiKey);
        var correlationId = Interlocked.Increment(ref _nextCorrelationId);
        var frame = Encode(request, version, correlationId, spec.RequestHeaderVersion(version));
        var response = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlationId] = response;
        try
        {
            await WriteFrameAsync(frame, cancellationToken).ConfigureAwait(false);
            var bytes = await response.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return Decode(bytes, spec.ResponseHeaderVersion(version), version, read);
        }
        finally
        {
            _pending.TryRemove(correlationId, out _);
        }
    }

    private byte[] Encode(IRequestMessage request, short version, int correlationId, short headerVersion)
    {
        using var buffer = new PooledBufferWriter();
        var writer = new KafkaWriter(buffer);
        writer.WriteInt32(0);
        new RequestHeader
        {
            RequestApiKey = (short)request.ApiKey,
            RequestApiVersion = version,
            CorrelationId = correlationId,
            ClientId = _clientId,
        }.Write(writer, headerVersion);
        request.Write(writer, version);
        var bytes = buffer.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes, bytes.Length - 4);
        return bytes;
    }

    private static TResponse Decode<TResponse>(byte[] frame, short headerVersion, short version, ResponseReader<TResponse> read)
    {
        var reader = new KafkaReader(frame);
        ResponseHeader.Read(ref reader, headerVersion);
        return read(ref reader, version);
    }

    private async Task WriteFrameAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfFailed();
            await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            throw Fail(new IOException($"Connection to broker at {Endpoint} failed: {e.Message}", e));
        }
        catch (IOException e)
        {
            throw Fail(e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var size = new byte[4];
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                await _stream.ReadExactlyAsync(size, _closed.Token).ConfigureAwait(false);
                var length = BinaryPrimitives.ReadInt32BigEndian(size);
                if (length < 4 || length > MaxResponseBytes)
                {
                    throw new IOException($"Broker at {Endpoint} sent a response frame of {length} bytes.");
                }
                var frame = new byte[length];
                await _stream.ReadExactlyAsync(frame, _closed.Token).ConfigureAwait(false);
                var correlationId = BinaryPrimitives.ReadInt32BigEndian(frame);
                if (_pending.TryGetValue(correlationId, out var pending))
                {
                    pending.TrySetResult(frame);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or EndOfStreamException or OperationCanceledException or ObjectDisposedException)
        {
            Fail(e as IOException ?? new IOException($"Connection to broker at {Endpoint} closed: {e.Message}", e));
        }
    }

    private IOException Fail(IOException failure)
    {
        Interlocked.CompareExchange(ref _failure, failure, null);
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new IOException(failure.Message, failure));
        }
        return failure;
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new IOException(failure.Message, failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_closed.IsCancellationRequested)
        {
            return;
        }
        await _closed.CancelAsync().ConfigureAwait(false);
        _tcp.Dispose();
        await _readLoop.ConfigureAwait(false);
        Fail(new IOException($"Connection to broker at {Endpoint} was closed."));
        _closed.Dispose();
        _writeLock.Dispose();
    }
}
