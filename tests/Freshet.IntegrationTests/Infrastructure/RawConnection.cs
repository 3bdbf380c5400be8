using System.Buffers.Binary;
using System.Net.Sockets;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.IntegrationTests.Infrastructure;

/// <summary>
/// A bare TCP connection to the broker for wire-level tests: sends any bytes, or a request
/// encoded with the project's own messages, and reads response frames back.
/// </summary>
public sealed class RawConnection : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private int _nextCorrelationId = 1;

    private RawConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawConnection> ConnectAsync(string bootstrapServers)
    {
        var parts = bootstrapServers.Split(':');
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(parts[0], int.Parse(parts[1]));
        return new RawConnection(client);
    }

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    /// <summary>Encodes header + body at the given version and sends it as one frame; returns the correlation id.</summary>
    public async Task<int> SendAsync(IRequestMessage request, short version, string? clientId = "raw-test")
    {
        var correlationId = _nextCorrelationId++;
        await SendRawAsync(Encode(request, version, correlationId, clientId));
        return correlationId;
    }

    public static byte[] Encode(IRequestMessage request, short version, int correlationId, string? clientId = "raw-test")
    {
        using var buffer = new PooledBufferWriter();
        var writer = new KafkaWriter(buffer);
        writer.WriteInt32(0);
        var spec = ApiCatalog.Get(request.ApiKey);
        new RequestHeader
        {
            RequestApiKey = (short)request.ApiKey,
            RequestApiVersion = version,
            CorrelationId = correlationId,
            ClientId = clientId,
        }.Write(writer, spec.RequestHeaderVersion(version));
        request.Write(writer, version);
        var bytes = buffer.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes, bytes.Length - 4);
        return bytes;
    }

    /// <summary>Reads one response frame; null when the broker closed the connection.</summary>
    public async Task<byte[]?> ReadFrameAsync()
    {
        using var cts = new CancellationTokenSource(ReadTimeout);
        var size = new byte[4];
        if (!await ReadExactlyOrEndAsync(size, cts.Token))
        {
            return null;
        }
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        return await ReadExactlyOrEndAsync(frame, cts.Token) ? frame : null;
    }

    /// <summary>Reads a response and decodes it as <typeparamref name="T"/> at the given version.</summary>
    public async Task<(int CorrelationId, T Response)> ReadResponseAsync<T>(ApiKey key, short version)
        where T : IResponseMessage
    {
        var frame = await ReadFrameAsync() ?? throw new IOException("The broker closed the connection.");
        var reader = new KafkaReader(frame);
        var header = ResponseHeader.Read(ref reader, ApiCatalog.Get(key).ResponseHeaderVersion(version));
        var response = (T)ApiCatalog.ReadResponse(key, version, ref reader);
        return (header.CorrelationId, response);
    }

    /// <summary>True when the broker has closed the connection (read returns end of stream or a reset).</summary>
    public async Task<bool> IsClosedByBrokerAsync()
    {
        using var cts = new CancellationTokenSource(ReadTimeout);
        var buffer = new byte[1];
        try
        {
            return await _stream.ReadAsync(buffer, cts.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            int n;
            try
            {
                n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            }
            catch (IOException)
            {
                return false;
            }
            if (n == 0)
            {
                return false;
            }
            read += n;
        }
        return true;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
