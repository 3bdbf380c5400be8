using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using Freshet.Protocol.Framing;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Bench.Ceiling;

/// <summary>
/// One client connection: read frames, answer each in order, and flush the answers once the input holds no more
/// complete frames, so that pipelined requests share a write. Anything the ceiling does not serve closes the connection.
/// </summary>
internal sealed class CeilingConnection(Socket socket, CeilingTopics topics, string host, int port)
{
    private const int MaxFrameSize = 100 * 1024 * 1024;

    public async Task RunAsync(CancellationToken ct)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 16384));
        var output = PipeWriter.Create(stream);
        using var response = new PooledBufferWriter(64 * 1024);
        using var records = new PooledBufferWriter(1024 * 1024);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var read = await input.ReadAsync(ct);
                var buffer = read.Buffer;
                while (true)
                {
                    var status = FrameDecoder.TryReadFrame(ref buffer, MaxFrameSize, out var frame, out _);
                    if (status == FrameStatus.Incomplete)
                        break;
                    if (status != FrameStatus.Complete || !await AnswerAsync(frame, response, records, output))
                        return;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                await output.FlushAsync(ct);
                if (read.IsCompleted)
                    return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
        }
        finally
        {
            await input.CompleteAsync();
            await output.CompleteAsync();
        }
    }

    private async ValueTask<bool> AnswerAsync(ReadOnlySequence<byte> frame, PooledBufferWriter response, PooledBufferWriter records, PipeWriter output)
    {
        var bytes = ArrayPool<byte>.Shared.Rent((int)frame.Length);
        try
        {
            frame.CopyTo(bytes);
            var memory = bytes.AsMemory(0, (int)frame.Length);
            if (!RequestHeaderPeek.TryPeek(memory.Span, out var apiKey, out var version, out var correlationId) || !ApiCatalog.TryGet(apiKey, out var spec))
                return false;
            var served = Array.Exists(CeilingAnswers.Served, s => (short)s.Key == apiKey);
            if (!served)
            {
                await Console.Error.WriteLineAsync($"ceiling: api key {apiKey} v{version} is not served; closing the connection");
                return false;
            }

            if (apiKey == (short)ApiKey.ApiVersions && !spec.IsSupported(version))
            {
                Write(response, output, correlationId, 0, CeilingAnswers.ApiVersions(supported: false), 0);
                return true;
            }

            var reader = new KafkaReader(memory);
            RequestHeader.Read(ref reader, spec.RequestHeaderVersion(version));
            var request = ApiCatalog.ReadRequest((ApiKey)apiKey, version, ref reader);
            IResponseMessage? answer = request switch
            {
                ApiVersionsRequest => CeilingAnswers.ApiVersions(supported: true),
                MetadataRequest m => CeilingAnswers.Metadata(m, topics, host, port),
                CreateTopicsRequest c => CeilingAnswers.CreateTopics(c, topics),
                FindCoordinatorRequest f => CeilingAnswers.FindCoordinator(f, host, port),
                ListOffsetsRequest l => CeilingAnswers.ListOffsets(l, topics),
                ProduceRequest p => ProduceAnswer.Handle(p, topics),
                FetchRequest f => await FetchAnswerAsync(f, records, version, output),
                _ => null,
            };
            if (answer is not null)
                Write(response, output, correlationId, spec.ResponseHeaderVersion(version), answer, version);
            return true;
        }
        catch (MalformedMessageException e)
        {
            await Console.Error.WriteLineAsync($"ceiling: malformed request: {e.Message}");
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private async ValueTask<FetchResponse> FetchAnswerAsync(FetchRequest request, PooledBufferWriter records, short version, PipeWriter output)
    {
        // A fetch that may wait must not hold back answers already written for earlier requests.
        await output.FlushAsync();
        return await FetchAnswer.HandleAsync(request, topics, records, version);
    }

    private static void Write(PooledBufferWriter buffer, PipeWriter output, int correlationId, short headerVersion, IResponseMessage message, short version)
    {
        buffer.Reset();
        var writer = new KafkaWriter(buffer);
        writer.WriteInt32(0);
        new ResponseHeader { CorrelationId = correlationId }.Write(writer, headerVersion);
        message.Write(writer, version);
        BinaryPrimitives.WriteInt32BigEndian(buffer.WrittenSpanForPatch, buffer.WrittenCount - FrameDecoder.SizePrefixLength);
        output.Write(buffer.WrittenSpan);
    }
}
