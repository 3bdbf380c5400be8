using BenchmarkDotNet.Attributes;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Benchmarks;

/// <summary>Decode and encode cost of the generated codecs for the hot APIs.</summary>
[MemoryDiagnoser]
public class MessageCodecBenchmarks : IDisposable
{
    private readonly PooledBufferWriter _buffer = new(64 * 1024);
    private ProduceRequest _produce = null!;
    private FetchRequest _fetchRequest = null!;
    private FetchResponse _fetchResponse = null!;
    private MetadataResponse _metadata = null!;
    private ApiVersionsRequest _apiVersionsRequest = null!;
    private ApiVersionsResponse _apiVersionsResponse = null!;
    private byte[] _produceBytes = [];
    private byte[] _fetchRequestBytes = [];
    private byte[] _fetchResponseBytes = [];
    private byte[] _metadataBytes = [];
    private byte[] _apiVersionsRequestBytes = [];
    private byte[] _apiVersionsResponseBytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _produce = SampleMessages.Produce();
        _fetchRequest = SampleMessages.FetchRequest();
        _fetchResponse = SampleMessages.FetchResponse();
        _metadata = SampleMessages.MetadataResponse();
        _apiVersionsRequest = new ApiVersionsRequest { ClientSoftwareName = "freshet-bench", ClientSoftwareVersion = "1.0" };
        _apiVersionsResponse = SampleMessages.ApiVersionsResponse();
        _produceBytes = Encode(_produce, 9);
        _fetchRequestBytes = Encode(_fetchRequest, 12);
        _fetchResponseBytes = Encode(_fetchResponse, 12);
        _metadataBytes = Encode(_metadata, 12);
        _apiVersionsRequestBytes = Encode(_apiVersionsRequest, 3);
        _apiVersionsResponseBytes = Encode(_apiVersionsResponse, 3);
    }

    public void Dispose()
    {
        _buffer.Dispose();
        GC.SuppressFinalize(this);
    }

    private static byte[] Encode(IMessage message, short version)
    {
        using var buffer = new PooledBufferWriter();
        message.Write(new KafkaWriter(buffer), version);
        return buffer.WrittenSpan.ToArray();
    }

    private int Write(IMessage message, short version)
    {
        _buffer.Reset();
        message.Write(new KafkaWriter(_buffer), version);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public ProduceRequest DecodeProduceV9()
    {
        var reader = new KafkaReader(_produceBytes);
        return ProduceRequest.Read(ref reader, 9);
    }

    [Benchmark]
    public int EncodeProduceV9() => Write(_produce, 9);

    [Benchmark]
    public FetchRequest DecodeFetchRequestV12()
    {
        var reader = new KafkaReader(_fetchRequestBytes);
        return FetchRequest.Read(ref reader, 12);
    }

    [Benchmark]
    public int EncodeFetchRequestV12() => Write(_fetchRequest, 12);

    [Benchmark]
    public FetchResponse DecodeFetchResponseV12()
    {
        var reader = new KafkaReader(_fetchResponseBytes);
        return FetchResponse.Read(ref reader, 12);
    }

    [Benchmark]
    public int EncodeFetchResponseV12() => Write(_fetchResponse, 12);

    [Benchmark]
    public MetadataResponse DecodeMetadataResponseV12()
    {
        var reader = new KafkaReader(_metadataBytes);
        return MetadataResponse.Read(ref reader, 12);
    }

    [Benchmark]
    public int EncodeMetadataResponseV12() => Write(_metadata, 12);

    [Benchmark]
    public ApiVersionsRequest DecodeApiVersionsRequestV3()
    {
        var reader = new KafkaReader(_apiVersionsRequestBytes);
        return ApiVersionsRequest.Read(ref reader, 3);
    }

    [Benchmark]
    public int EncodeApiVersionsResponseV3() => Write(_apiVersionsResponse, 3);

    [Benchmark]
    public ApiVersionsResponse DecodeApiVersionsResponseV3()
    {
        var reader = new KafkaReader(_apiVersionsResponseBytes);
        return ApiVersionsResponse.Read(ref reader, 3);
    }
}
