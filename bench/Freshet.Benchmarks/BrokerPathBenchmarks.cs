using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Freshet.Broker.Configuration;
using Freshet.Broker.Handlers;
using Freshet.Broker.Network;
using Freshet.Broker.Replication;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Metadata.Image;
using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;
using Freshet.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Benchmarks;

/// <summary>
/// The broker's produce and fetch paths without the client: a request frame as the connection hands it over (copied
/// into a pooled buffer), decoded, handled, and its response encoded (and for fetch, sent over loopback TCP to a
/// reader that discards it). <see cref="RecordsPerBatch"/> varies the records per batch (100-byte values) at one
/// batch per request; "zero allocations per record" means the Allocated column does not grow with it.
/// </summary>
[MemoryDiagnoser]
public class BrokerPathBenchmarks : IDisposable
{
    private const int RequestsPerOperation = 256;
    private const string Topic = "bench";

    /// <summary>A fetch offset that is easy to find in the encoded request, to patch per fetch.</summary>
    private const long FetchOffsetMarker = 0x0F1E2D3C4B5A6978;

    private byte[] _produceFrame = [];
    private byte[] _fetchFrame = [];
    private string _dir = "";
    private LogManager? _logs;
    private ProduceHandler? _produce;
    private FetchHandler? _fetch;
    private Socket? _listener;
    private Socket? _client;
    private Socket? _server;
    private ResponseChannel? _channel;
    private ConnectionContext? _connection;
    private Thread? _drain;
    private int _fetchOffsetPosition;
    private int _batchLength;

    [Params(10, 100, 1000, 5000)]
    public int RecordsPerBatch { get; set; }

    /// <summary>Fetch: records of 16 KiB and more spliced from the segment file (sendfile), or always copied (the TLS path).</summary>
    [Params(true, false)]
    public bool SendFromFiles { get; set; }

    [GlobalSetup(Target = nameof(Produce))]
    public void SetUpProduce()
    {
        BuildFrames();
        StartConnection();
    }

    /// <summary>A fresh log for every iteration keeps the disk use of the 1000-record case bounded.</summary>
    [IterationSetup(Target = nameof(Produce))]
    public void StartProduceIteration() => StartBroker();

    [IterationCleanup(Target = nameof(Produce))]
    public void EndProduceIteration() => StopBroker();

    [GlobalSetup(Target = nameof(Fetch))]
    public void SetUpFetch()
    {
        BuildFrames();
        StartConnection();
        StartBroker();
        // The log the fetches read: RequestsPerOperation batches, so every fetch of an operation reads another one.
        Produce();
        BinaryPrimitives.WriteInt64BigEndian(_fetchFrame.AsSpan(_fetchOffsetPosition), RecordsPerBatch);
        var partition = ((FetchResponse)Handle(_fetchFrame, _fetch!, send: true)).Responses[0].Partitions[0];
        if (partition.ErrorCode != 0 || partition.Records?.Length != _batchLength)
        {
            throw new InvalidOperationException($"The benchmark fetch answers error {partition.ErrorCode} with {partition.Records?.Length} bytes.");
        }
    }

    private void BuildFrames()
    {
        var records = new Record[RecordsPerBatch];
        var value = new byte[100];
        new Random(1).NextBytes(value);
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = new Record(i, 1_700_000_000_000 + i, null, value);
        }
        var batch = RecordBatchBuilder.Build(records);
        _batchLength = batch.Length;
        _produceFrame = Frame(new ProduceRequest
        {
            Acks = 1,
            TimeoutMs = 30_000,
            TopicData = [new ProduceRequest.TopicProduceData { Name = Topic, PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = batch }] }],
        }, version: 9);
        _fetchFrame = Frame(new FetchRequest
        {
            MaxWaitMs = 0,
            MinBytes = 1,
            MaxBytes = 1 << 20,
            Topics = [new FetchRequest.FetchTopic { Topic = Topic, Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = FetchOffsetMarker, PartitionMaxBytes = batch.Length }] }],
        }, version: 12);
    }

    [Benchmark(OperationsPerInvoke = RequestsPerOperation)]
    public void Produce()
    {
        for (var i = 0; i < RequestsPerOperation; i++)
        {
            // As the connection does: the frame is copied into a pooled buffer, where Produce assigns offsets in place.
            var rented = ArrayPool<byte>.Shared.Rent(_produceFrame.Length);
            _produceFrame.CopyTo(rented);
            Handle(rented.AsMemory(0, _produceFrame.Length), _produce!, send: false);
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [Benchmark(OperationsPerInvoke = RequestsPerOperation)]
    public void Fetch()
    {
        var frame = _fetchFrame.AsMemory();
        for (var i = 0; i < RequestsPerOperation; i++)
        {
            // Fetch offset i × RecordsPerBatch: each request reads the next batch of the log.
            BinaryPrimitives.WriteInt64BigEndian(frame.Span[_fetchOffsetPosition..], (long)i * RecordsPerBatch);
            Handle(frame, _fetch!, send: true);
        }
    }

    private IResponseMessage Handle(Memory<byte> frame, IApiHandler handler, bool send)
    {
        var reader = new KafkaReader(frame);
        var spec = ApiCatalog.Get(handler.Key);
        RequestHeaderPeekVersion(frame.Span, out var version);
        var header = RequestHeader.Read(ref reader, spec.RequestHeaderVersion(version));
        var request = ApiCatalog.ReadRequest(handler.Key, version, ref reader);
        using var context = new RequestContext(_connection!, header);
        var response = handler.HandleAsync(context, request).AsTask().GetAwaiter().GetResult()!;
        using var output = new ResponseFrame(1024, _channel!.SendsFromFiles);
        ResponseWriter.Encode(output, header.CorrelationId, spec.ResponseHeaderVersion(version), response, version);
        if (send)
        {
            _channel.SendAsync(output, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        return response;
    }

    private static void RequestHeaderPeekVersion(ReadOnlySpan<byte> frame, out short version) => version = BinaryPrimitives.ReadInt16BigEndian(frame[2..]);

    private byte[] Frame(IRequestMessage request, short version)
    {
        using var buffer = new PooledBufferWriter();
        var writer = new KafkaWriter(buffer);
        new RequestHeader { RequestApiKey = (short)request.ApiKey, RequestApiVersion = version, CorrelationId = 1, ClientId = "bench" }
            .Write(writer, ApiCatalog.Get(request.ApiKey).RequestHeaderVersion(version));
        request.Write(writer, version);
        var frame = buffer.WrittenSpan.ToArray();
        if (request is FetchRequest)
        {
            Span<byte> marker = stackalloc byte[sizeof(long)];
            BinaryPrimitives.WriteInt64BigEndian(marker, FetchOffsetMarker);
            _fetchOffsetPosition = frame.AsSpan().IndexOf(marker);
        }
        return frame;
    }

    private void StartBroker()
    {
        _dir = Path.Combine(Path.GetTempPath(), "freshet-bench-" + Guid.NewGuid().ToString("N"));
        var options = new BrokerOptions { LogDirs = [_dir] };
        _logs = new LogManager(new LogManagerOptions { LogDirs = [_dir], DefaultConfig = LogConfigs.For(options, new Dictionary<string, string>()) }, NullLoggerFactory.Instance);
        // One topic with one partition led by this broker, as the metadata image of a single node has it.
        var topicId = KafkaUuid.NewRandom();
        var delta = new MetadataDelta(MetadataImage.Empty);
        delta.Replay(MetadataRecord.Of(new TopicRecord { Name = Topic, TopicId = topicId }));
        delta.Replay(MetadataRecord.Of(new PartitionRecord { TopicId = topicId, PartitionId = 0, Replicas = [options.NodeId], Isr = [options.NodeId], Leader = options.NodeId, LeaderEpoch = 0, PartitionEpoch = 0 }));
        var image = delta.Apply(0);
        var catalog = new TopicCatalog();
        catalog.Apply(image);
        _logs.LoadLogs(_ => LogConfigs.For(options, new Dictionary<string, string>()));
        var replicas = new ReplicaManager(_logs, options);
        replicas.ApplyPartitionStates(
        [
            new PartitionStateChange(new TopicPartition(Topic, 0), topicId, image.Partition(Topic, 0)!, LogConfigs.For(options, new Dictionary<string, string>()), 1),
        ]);
        _produce = new ProduceHandler(catalog, replicas);
        _fetch = new FetchHandler(catalog, replicas, options);
    }

    private void StartConnection()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _client.Connect(_listener.LocalEndPoint!);
        _server = _listener.Accept();
        _channel = new ResponseChannel(_server, sendsFromFiles: SendFromFiles && OperatingSystem.IsLinux());
        _connection = new ConnectionContext(1, _client.LocalEndPoint, _channel, CancellationToken.None);
        _drain = new Thread(() =>
        {
            var sink = new byte[256 * 1024];
            try
            {
                while (_client.Receive(sink) > 0)
                {
                }
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        })
        { IsBackground = true };
        _drain.Start();
    }

    private void StopBroker()
    {
        _logs?.Dispose();
        _logs = null;
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _channel?.Dispose();
        _server?.Dispose();
        _client?.Dispose();
        _listener?.Dispose();
        _drain?.Join();
        StopBroker();
        GC.SuppressFinalize(this);
    }
}
