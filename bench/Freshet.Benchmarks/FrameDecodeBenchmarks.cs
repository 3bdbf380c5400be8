using System.Buffers;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Freshet.Protocol.Framing;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Benchmarks;

/// <summary>
/// The connection loop's framing work on 64 pipelined 1 KiB Produce frames as a socket read leaves them: split into
/// frames (one contiguous read buffer, and the same bytes over 4 KiB pipe segments), and per frame the header peek
/// and request-header decode the dispatcher does before a handler runs. Times are per frame.
/// </summary>
[MemoryDiagnoser]
public class FrameDecodeBenchmarks
{
    private const int Frames = 64;

    private ReadOnlySequence<byte> _contiguous;
    private ReadOnlySequence<byte> _segmented;
    private byte[] _oneFrame = [];

    [GlobalSetup]
    public void Setup()
    {
        var request = new ProduceRequest
        {
            Acks = 1,
            TimeoutMs = 30_000,
            TopicData = [new ProduceRequest.TopicProduceData { Name = "bench", PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = new byte[1024] }] }],
        };
        using var buffer = new PooledBufferWriter();
        var writer = new KafkaWriter(buffer);
        writer.WriteInt32(0);
        new RequestHeader { RequestApiKey = (short)ApiKey.Produce, RequestApiVersion = 9, CorrelationId = 7, ClientId = "bench-client" }.Write(writer, 2);
        request.Write(writer, 9);
        _oneFrame = buffer.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(_oneFrame, _oneFrame.Length - FrameDecoder.SizePrefixLength);
        var all = new byte[_oneFrame.Length * Frames];
        for (var i = 0; i < Frames; i++)
        {
            _oneFrame.CopyTo(all, i * _oneFrame.Length);
        }
        _contiguous = new ReadOnlySequence<byte>(all);
        _segmented = Segments(all, 4096);
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public long SplitContiguous() => Split(_contiguous);

    [Benchmark(OperationsPerInvoke = Frames)]
    public long SplitSegmented() => Split(_segmented);

    [Benchmark]
    public int PeekAndDecodeRequestHeader()
    {
        var frame = _oneFrame.AsMemory(FrameDecoder.SizePrefixLength);
        RequestHeaderPeek.TryPeek(frame.Span, out var apiKey, out var version, out _);
        var reader = new KafkaReader(frame);
        var header = RequestHeader.Read(ref reader, ApiCatalog.Get((ApiKey)apiKey).RequestHeaderVersion(version));
        return header.CorrelationId;
    }

    private static long Split(ReadOnlySequence<byte> buffer)
    {
        long total = 0;
        while (FrameDecoder.TryReadFrame(ref buffer, 1 << 20, out var frame, out _) == FrameStatus.Complete)
        {
            total += frame.Length;
        }
        return total;
    }

    private static ReadOnlySequence<byte> Segments(byte[] bytes, int size)
    {
        var first = new Segment(bytes.AsMemory(0, Math.Min(size, bytes.Length)), 0);
        var last = first;
        for (var offset = size; offset < bytes.Length; offset += size)
        {
            last = last.Append(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)));
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
