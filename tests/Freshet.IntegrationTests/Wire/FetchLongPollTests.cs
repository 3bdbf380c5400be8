using System.Diagnostics;
using Confluent.Kafka;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;
using ErrorCode = Freshet.Protocol.Messages.ErrorCode;

namespace Freshet.IntegrationTests.Wire;

/// <summary>Fetch with min bytes waits for data up to max wait, and an append ends the wait early.</summary>
public sealed class FetchLongPollTests : IAsyncLifetime
{
    private const short FetchVersion = 11;
    private BrokerScope _scope = null!;

    public async Task InitializeAsync() => _scope = await BrokerScope.StartAsync();

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task A_waiting_fetch_is_answered_by_the_next_append()
    {
        await CreateTopicAsync("long-poll");
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        var watch = Stopwatch.StartNew();
        await connection.SendAsync(FetchFromStart("long-poll", maxWaitMs: 60_000), FetchVersion);
        var pending = connection.ReadResponseAsync<FetchResponse>(ApiKey.Fetch, FetchVersion);

        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _scope.BootstrapServers }).Build())
        {
            await producer.ProduceAsync("long-poll", new Message<Null, string> { Value = "wake up" });
        }

        var (_, response) = await pending;
        watch.Stop();
        var partition = Assert.Single(Assert.Single(response.Responses).Partitions);
        Assert.Equal((short)ErrorCode.None, partition.ErrorCode);
        Assert.Equal(1, partition.HighWatermark);
        Assert.True(partition.Records is { Length: > 0 });
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(50), $"the append did not end the wait ({watch.Elapsed})");
    }

    [Fact]
    public async Task A_fetch_with_nothing_to_read_waits_for_max_wait_then_answers_empty()
    {
        await CreateTopicAsync("idle");
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        var watch = Stopwatch.StartNew();
        await connection.SendAsync(FetchFromStart("idle", maxWaitMs: 300), FetchVersion);
        var (_, response) = await connection.ReadResponseAsync<FetchResponse>(ApiKey.Fetch, FetchVersion);
        watch.Stop();
        var partition = Assert.Single(Assert.Single(response.Responses).Partitions);
        Assert.Equal((short)ErrorCode.None, partition.ErrorCode);
        Assert.Equal(0, partition.HighWatermark);
        Assert.True(partition.Records is null || partition.Records.Value.Length == 0);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"answered after {watch.Elapsed}, before max wait");
    }

    [Fact]
    public async Task A_fetch_for_an_unknown_topic_answers_at_once_with_UNKNOWN_TOPIC_OR_PARTITION()
    {
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        await connection.SendAsync(FetchFromStart("nope", maxWaitMs: 60_000), FetchVersion);
        var (_, response) = await connection.ReadResponseAsync<FetchResponse>(ApiKey.Fetch, FetchVersion);
        var partition = Assert.Single(Assert.Single(response.Responses).Partitions);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, partition.ErrorCode);
    }

    private async Task CreateTopicAsync(string name)
    {
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        var request = new CreateTopicsRequest { TimeoutMs = 10_000 };
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = name, NumPartitions = 1, ReplicationFactor = 1 });
        await connection.SendAsync(request, 4);
        var (_, response) = await connection.ReadResponseAsync<CreateTopicsResponse>(ApiKey.CreateTopics, 4);
        Assert.Equal((short)ErrorCode.None, Assert.Single(response.Topics).ErrorCode);
    }

    private static FetchRequest FetchFromStart(string topic, int maxWaitMs)
    {
        var request = new FetchRequest { MaxWaitMs = maxWaitMs, MinBytes = 1, MaxBytes = 1 << 20, IsolationLevel = 0 };
        var fetchTopic = new FetchRequest.FetchTopic { Topic = topic };
        fetchTopic.Partitions.Add(new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1 << 20 });
        request.Topics.Add(fetchTopic);
        return request;
    }
}
