using Freshet.Broker.InterBroker;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;

namespace Freshet.IntegrationTests.InterBroker;

public sealed class BrokerClientTests
{
    [Fact]
    public async Task Pipelined_requests_get_their_own_responses()
    {
        await using var scope = await BrokerScope.StartAsync();
        var (host, port) = Split(scope.BootstrapServers);
        await using var client = await BrokerClient.ConnectAsync(host, port, "broker-1", CancellationToken.None);

        // All three are on the wire before the first answer is read.
        var versions = client.SendAsync(new ApiVersionsRequest(), 3, ApiVersionsResponse.Read, CancellationToken.None);
        var metadata = client.SendAsync(new MetadataRequest { Topics = [] }, 12, MetadataResponse.Read, CancellationToken.None);
        var unknownVersion = client.SendAsync(new ApiVersionsRequest(), 0, ApiVersionsResponse.Read, CancellationToken.None);

        Assert.Equal(0, (await versions).ErrorCode);
        Assert.Contains((await versions).ApiKeys, k => k.ApiKey == (short)ApiKey.Fetch);
        Assert.Equal(port, Assert.Single((await metadata).Brokers).Port);
        Assert.Equal(0, (await unknownVersion).ErrorCode);
    }

    [Fact]
    public async Task A_closed_connection_fails_pending_calls_with_IOException()
    {
        var scope = await BrokerScope.StartAsync();
        var (host, port) = Split(scope.BootstrapServers);
        await using var client = await BrokerClient.ConnectAsync(host, port, "broker-1", CancellationToken.None);
        await client.SendAsync(
            new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = "idle" }], AllowAutoTopicCreation = true },
            12, MetadataResponse.Read, CancellationToken.None);
        var longPoll = new FetchRequest
        {
            MaxWaitMs = 60_000, MinBytes = 1, ReplicaId = -1, MaxBytes = 1024,
            Topics = [new FetchRequest.FetchTopic { Topic = "idle", Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1024 }] }],
        };
        var pending = client.SendAsync(longPoll, 4, FetchResponse.Read, CancellationToken.None);
        await Task.Delay(200);
        Assert.False(pending.IsCompleted);

        await scope.DisposeAsync();

        await Assert.ThrowsAsync<IOException>(() => pending.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<IOException>(() => client.SendAsync(new ApiVersionsRequest(), 3, ApiVersionsResponse.Read, CancellationToken.None));
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_is_an_IOException()
    {
        var port = FreshetServer.FreePort();
        await Assert.ThrowsAsync<IOException>(() => BrokerClient.ConnectAsync("127.0.0.1", port, "broker-1", CancellationToken.None));
    }

    private static (string Host, int Port) Split(string bootstrap)
    {
        var colon = bootstrap.LastIndexOf(':');
        return (bootstrap[..colon], int.Parse(bootstrap[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
