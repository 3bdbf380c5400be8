using System.Buffers.Binary;
using Confluent.Kafka;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;
using ErrorCode = Freshet.Protocol.Messages.ErrorCode;

namespace Freshet.IntegrationTests.Wire;

/// <summary>
/// Garbage, lies about sizes, unknown APIs and versions, and truncated requests: each gets an
/// error or a closed connection, and the broker keeps serving well-behaved clients.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private BrokerScope _scope = null!;

    public async Task InitializeAsync() => _scope = await BrokerScope.StartAsync(new Dictionary<string, string> { ["socket.request.max.bytes"] = "1048576" });

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task Random_bytes_close_the_connection_and_the_broker_still_serves()
    {
        var random = new Random(42);
        for (var round = 0; round < 20; round++)
        {
            var garbage = new byte[random.Next(1, 4096)];
            random.NextBytes(garbage);
            using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
            // Whatever the bytes say, the broker answers, waits or closes; it must not die. A
            // send may fail because the broker already closed the connection, which is fine.
            try
            {
                await connection.SendRawAsync(garbage);
                await connection.SendRawAsync(new byte[64 * 1024]);
            }
            catch (IOException)
            {
            }
        }
        await AssertBrokerServesAsync();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(3)]
    [InlineData(1048577)]
    [InlineData(int.MaxValue)]
    public async Task A_frame_with_a_negative_tiny_or_huge_size_closes_the_connection(int size)
    {
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(prefix, size);
        await connection.SendRawAsync(prefix);
        Assert.True(await connection.IsClosedByBrokerAsync());
        await AssertBrokerServesAsync();
    }

    [Fact]
    public async Task An_unknown_api_key_closes_the_connection()
    {
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        var frame = RawConnection.Encode(new ApiVersionsRequest(), 0, correlationId: 7);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(4), 999);
        await connection.SendRawAsync(frame);
        Assert.True(await connection.IsClosedByBrokerAsync());
        await AssertBrokerServesAsync();
    }

    [Fact]
    public async Task An_unsupported_version_of_a_known_api_closes_the_connection()
    {
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        var frame = RawConnection.Encode(new MetadataRequest(), 1, correlationId: 8);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), 999);
        await connection.SendRawAsync(frame);
        Assert.True(await connection.IsClosedByBrokerAsync());
        await AssertBrokerServesAsync();
    }

    [Fact]
    public async Task An_unknown_ApiVersions_version_gets_a_v0_answer_with_UNSUPPORTED_VERSION_and_the_real_ranges()
    {
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        var frame = RawConnection.Encode(new ApiVersionsRequest(), 0, correlationId: 9);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), 99);
        await connection.SendRawAsync(frame);
        var (correlationId, response) = await connection.ReadResponseAsync<ApiVersionsResponse>(ApiKey.ApiVersions, 0);
        Assert.Equal(9, correlationId);
        Assert.Equal((short)ErrorCode.UnsupportedVersion, response.ErrorCode);
        Assert.Contains(response.ApiKeys, k => k.ApiKey == (short)ApiKey.Produce && k.MaxVersion >= 9);
        Assert.Contains(response.ApiKeys, k => k.ApiKey == (short)ApiKey.ApiVersions && k.MaxVersion == 4);
    }

    [Fact]
    public async Task A_truncated_request_closes_the_connection()
    {
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        var full = RawConnection.Encode(new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = "some-topic" }] }, 1, correlationId: 10);
        // Claim a frame that ends in the middle of the topic name: the size is honest, the body is not whole.
        var cut = full[..(full.Length - 5)];
        BinaryPrimitives.WriteInt32BigEndian(cut, cut.Length - 4);
        await connection.SendRawAsync(cut);
        Assert.True(await connection.IsClosedByBrokerAsync());
        await AssertBrokerServesAsync();
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order()
    {
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        var frames = new List<byte>();
        for (var i = 0; i < 50; i++)
        {
            IRequestMessage request = i % 2 == 0 ? new ApiVersionsRequest() : new MetadataRequest();
            frames.AddRange(RawConnection.Encode(request, i % 2 == 0 ? (short)0 : (short)1, correlationId: 1000 + i));
        }
        await connection.SendRawAsync(frames.ToArray());
        for (var i = 0; i < 50; i++)
        {
            var frame = await connection.ReadFrameAsync();
            Assert.NotNull(frame);
            Assert.Equal(1000 + i, BinaryPrimitives.ReadInt32BigEndian(frame));
        }
    }

    private async Task AssertBrokerServesAsync()
    {
        using (var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers))
        {
            await connection.SendAsync(new ApiVersionsRequest { ClientSoftwareName = "raw", ClientSoftwareVersion = "1" }, 3);
            var (_, response) = await connection.ReadResponseAsync<ApiVersionsResponse>(ApiKey.ApiVersions, 3);
            Assert.Equal((short)ErrorCode.None, response.ErrorCode);
        }
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _scope.BootstrapServers }).Build();
        var report = await producer.ProduceAsync("still-alive", new Message<Null, string> { Value = "ok" });
        Assert.Equal(PersistenceStatus.Persisted, report.Status);
    }
}
