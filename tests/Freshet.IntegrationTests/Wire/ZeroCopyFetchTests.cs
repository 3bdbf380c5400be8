using Confluent.Kafka;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;
using ErrorCode = Freshet.Protocol.Messages.ErrorCode;

namespace Freshet.IntegrationTests.Wire;

/// <summary>
/// Fetches large enough to be sent from the segment file with sendfile carry exactly the bytes the log holds on
/// disk, and pipelined requests on one connection still get their responses in request order.
/// </summary>
public sealed class ZeroCopyFetchTests : IAsyncLifetime
{
    private const short FetchVersion = 12;
    private const string Topic = "zero-copy";
    private BrokerScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await BrokerScope.StartAsync();
        var config = new ProducerConfig
        {
            BootstrapServers = _scope.BootstrapServers,
            LingerMs = 20,
            BatchSize = 64 * 1024,
            CompressionType = CompressionType.None,
        };
        using var producer = new ProducerBuilder<Null, byte[]>(config).Build();
        var value = new byte[1024];
        new Random(3).NextBytes(value);
        for (var i = 0; i < 2000; i++)
        {
            producer.Produce(Topic, new Message<Null, byte[]> { Value = value });
        }
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task A_large_fetch_returns_the_segment_bytes_exactly()
    {
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        await connection.SendAsync(Fetch(offset: 0, maxBytes: 1 << 20), FetchVersion);
        var (_, response) = await connection.ReadResponseAsync<FetchResponse>(ApiKey.Fetch, FetchVersion);
        var partition = Assert.Single(Assert.Single(response.Responses).Partitions);
        Assert.Equal((short)ErrorCode.None, partition.ErrorCode);
        var records = partition.Records!.Value.ToArray();
        Assert.True(records.Length > 512 * 1024, $"only {records.Length} bytes came back");

        var onDisk = ReadSegmentPrefix(records.Length);
        Assert.Equal(onDisk, records);
    }

    [Fact]
    public async Task Pipelined_fetches_and_other_requests_are_answered_in_request_order()
    {
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        var first = await connection.SendAsync(Fetch(offset: 0, maxBytes: 1 << 20), FetchVersion);
        var second = await connection.SendAsync(new ApiVersionsRequest { ClientSoftwareName = "t", ClientSoftwareVersion = "1" }, 3);
        var third = await connection.SendAsync(Fetch(offset: 1000, maxBytes: 256 * 1024), FetchVersion);

        var (id1, fetch1) = await connection.ReadResponseAsync<FetchResponse>(ApiKey.Fetch, FetchVersion);
        var (id2, versions) = await connection.ReadResponseAsync<ApiVersionsResponse>(ApiKey.ApiVersions, 3);
        var (id3, fetch3) = await connection.ReadResponseAsync<FetchResponse>(ApiKey.Fetch, FetchVersion);
        Assert.Equal([first, second, third], [id1, id2, id3]);
        Assert.Equal((short)ErrorCode.None, versions.ErrorCode);
        Assert.True(Assert.Single(Assert.Single(fetch1.Responses).Partitions).Records!.Value.Length > 512 * 1024);
        var later = Assert.Single(Assert.Single(fetch3.Responses).Partitions).Records!.Value;
        Assert.True(later.Length > 16 * 1024);
        // The third fetch starts at the batch holding offset 1000: its base offset is at most 1000.
        Assert.True(System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(later.Span) <= 1000);
    }

    private byte[] ReadSegmentPrefix(int length)
    {
        var path = Path.Combine(_scope.DataDirectory, $"{Topic}-0", "00000000000000000000.log");
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[length];
        file.ReadExactly(bytes);
        return bytes;
    }

    private static FetchRequest Fetch(long offset, int maxBytes)
    {
        var request = new FetchRequest { MaxWaitMs = 500, MinBytes = 1, MaxBytes = maxBytes, IsolationLevel = 0 };
        var topic = new FetchRequest.FetchTopic { Topic = Topic };
        topic.Partitions.Add(new FetchRequest.FetchPartition { Partition = 0, FetchOffset = offset, PartitionMaxBytes = maxBytes });
        request.Topics.Add(topic);
        return request;
    }
}
