using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Records;
using CompressionType = Confluent.Kafka.CompressionType;
using ErrorCode = Confluent.Kafka.ErrorCode;
using KafkaApiKey = Freshet.Protocol.Messages.ApiKey;

namespace Freshet.IntegrationTests.Clients;

/// <summary>Topic configs changed with AlterConfigs/IncrementalAlterConfigs, applied live and kept across restarts; compression.type and timestamp bounds on produce.</summary>
public sealed class TopicConfigTests : IAsyncLifetime
{
    private BrokerScope _scope = null!;
    private IAdminClient _admin = null!;

    public async Task InitializeAsync()
    {
        _scope = await BrokerScope.StartAsync(new Dictionary<string, string> { ["auto.create.topics.enable"] = "false" });
        _admin = NewAdmin();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _scope.DisposeAsync();
    }

    [Fact]
    public async Task Incremental_set_shows_as_a_dynamic_topic_config_and_delete_returns_it_to_default()
    {
        await CreateTopicAsync("retained");

        await _admin.IncrementalAlterConfigsAsync(Changes("retained", ("retention.ms", "3600000", AlterConfigOpType.Set)));
        var set = await DescribeAsync("retained");
        Assert.Equal("3600000", set["retention.ms"].Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, set["retention.ms"].Source);

        await _admin.IncrementalAlterConfigsAsync(Changes("retained", ("retention.ms", null, AlterConfigOpType.Delete)));
        var deleted = await DescribeAsync("retained");
        Assert.Equal("604800000", deleted["retention.ms"].Value);
        Assert.NotEqual(ConfigSource.DynamicTopicConfig, deleted["retention.ms"].Source);
    }

    [Fact]
    public async Task Append_and_subtract_edit_a_list_config()
    {
        await CreateTopicAsync("policies");

        await _admin.IncrementalAlterConfigsAsync(Changes("policies", ("cleanup.policy", "compact", AlterConfigOpType.Append)));
        Assert.Equal("delete,compact", (await DescribeAsync("policies"))["cleanup.policy"].Value);

        await _admin.IncrementalAlterConfigsAsync(Changes("policies", ("cleanup.policy", "delete", AlterConfigOpType.Subtract)));
        Assert.Equal("compact", (await DescribeAsync("policies"))["cleanup.policy"].Value);

        var error = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() =>
            _admin.IncrementalAlterConfigsAsync(Changes("policies", ("retention.ms", "1", AlterConfigOpType.Append))));
        Assert.Equal(ErrorCode.InvalidConfig, Assert.Single(error.Results).Error.Code);
    }

    [Fact]
    public async Task AlterConfigs_replaces_every_override()
    {
        await CreateTopicAsync("replaced", new Dictionary<string, string> { ["retention.ms"] = "3600000" });

#pragma warning disable CS0618 // AlterConfigs is deprecated in the client, and still a Kafka API brokers serve.
        await _admin.AlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [Topic("replaced")] = [new ConfigEntry { Name = "segment.bytes", Value = "1048576" }],
        });
#pragma warning restore CS0618

        var entries = await DescribeAsync("replaced");
        Assert.Equal("1048576", entries["segment.bytes"].Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, entries["segment.bytes"].Source);
        Assert.Equal("604800000", entries["retention.ms"].Value);
        Assert.NotEqual(ConfigSource.DynamicTopicConfig, entries["retention.ms"].Source);
    }

    [Fact]
    public async Task An_invalid_value_gives_INVALID_CONFIG_and_changes_nothing()
    {
        await CreateTopicAsync("strict");

        var error = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() =>
            _admin.IncrementalAlterConfigsAsync(Changes("strict", ("retention.ms", "soon", AlterConfigOpType.Set))));
        Assert.Equal(ErrorCode.InvalidConfig, Assert.Single(error.Results).Error.Code);

        var unknown = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() =>
            _admin.IncrementalAlterConfigsAsync(Changes("strict", ("no.such.config", "1", AlterConfigOpType.Set))));
        Assert.Equal(ErrorCode.InvalidConfig, Assert.Single(unknown.Results).Error.Code);

        Assert.NotEqual(ConfigSource.DynamicTopicConfig, (await DescribeAsync("strict"))["retention.ms"].Source);
    }

    [Fact]
    public async Task Validate_only_changes_nothing()
    {
        await CreateTopicAsync("dry-run");

        await _admin.IncrementalAlterConfigsAsync(
            Changes("dry-run", ("retention.ms", "3600000", AlterConfigOpType.Set)),
            new IncrementalAlterConfigsOptions { ValidateOnly = true });

        var entries = await DescribeAsync("dry-run");
        Assert.Equal("604800000", entries["retention.ms"].Value);
        Assert.NotEqual(ConfigSource.DynamicTopicConfig, entries["retention.ms"].Source);
    }

    [Fact]
    public async Task An_unknown_topic_gives_UNKNOWN_TOPIC_OR_PARTITION()
    {
        var error = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() =>
            _admin.IncrementalAlterConfigsAsync(Changes("never-created", ("retention.ms", "1000", AlterConfigOpType.Set))));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Assert.Single(error.Results).Error.Code);
    }

    [Fact]
    public async Task Broker_configs_cannot_be_changed_dynamically()
    {
        var error = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() =>
            _admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
            {
                [new ConfigResource { Type = ResourceType.Broker, Name = "1" }] =
                    [new ConfigEntry { Name = "log.retention.ms", Value = "1000", IncrementalOperation = AlterConfigOpType.Set }],
            }));
        var result = Assert.Single(error.Results);
        Assert.Equal(ErrorCode.InvalidRequest, result.Error.Code);
        Assert.Contains("log.retention.ms", result.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_altered_config_survives_a_restart()
    {
        await CreateTopicAsync("durable-config");
        await _admin.IncrementalAlterConfigsAsync(Changes("durable-config", ("retention.ms", "7200000", AlterConfigOpType.Set)));

        _admin.Dispose();
        await _scope.RestartAsync();
        _admin = NewAdmin();

        var entries = await DescribeAsync("durable-config");
        Assert.Equal("7200000", entries["retention.ms"].Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, entries["retention.ms"].Source);
    }

    [Fact]
    public async Task Lowering_max_message_bytes_applies_to_the_next_produce()
    {
        await CreateTopicAsync("shrinking");
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = _scope.BootstrapServers, MessageTimeoutMs = 10000 }).Build();
        var first = await producer.ProduceAsync("shrinking", new Message<Null, byte[]> { Value = new byte[4096] });
        Assert.Equal(0, first.Offset.Value);

        await _admin.IncrementalAlterConfigsAsync(Changes("shrinking", ("max.message.bytes", "1024", AlterConfigOpType.Set)));

        var error = await Assert.ThrowsAsync<ProduceException<Null, byte[]>>(() =>
            producer.ProduceAsync("shrinking", new Message<Null, byte[]> { Value = new byte[4096] }));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, error.Error.Code);
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Lz4)]
    public async Task A_zstd_topic_stores_zstd_batches_whatever_the_producer_sends(CompressionType sent)
    {
        var topic = "zstd-from-" + sent.ToString().ToLowerInvariant();
        await CreateTopicAsync(topic, new Dictionary<string, string> { ["compression.type"] = "zstd" });
        var values = Enumerable.Range(0, 20).Select(i => $"record {i} " + new string('x', 500)).ToList();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = _scope.BootstrapServers,
            CompressionType = sent,
            LingerMs = 50,
        }).Build())
        {
            foreach (var (value, i) in values.Select((v, i) => (v, i)))
            {
                producer.Produce(topic, new Message<string, string>
                {
                    Key = "key-" + i,
                    Value = value,
                    Headers = [new Header("index", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
                });
            }
            producer.Flush(TimeSpan.FromSeconds(10));
        }

        var batches = await FetchRawAsync(topic);
        Assert.NotEmpty(batches);
        Assert.All(batches, b => Assert.Equal(Freshet.Protocol.Records.CompressionType.Zstd, b.Compression));

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = _scope.BootstrapServers,
            GroupId = "freshet-it-reader",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, 0));
        for (var i = 0; i < values.Count; i++)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new Xunit.Sdk.XunitException($"record {i} did not arrive");
            Assert.Equal(i, result.Offset.Value);
            Assert.Equal("key-" + i, result.Message.Key);
            Assert.Equal(values[i], result.Message.Value);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes("index")));
        }
    }

    [Fact]
    public async Task A_timestamp_two_hours_ahead_gives_INVALID_TIMESTAMP()
    {
        await CreateTopicAsync("clocks");
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _scope.BootstrapServers, MessageTimeoutMs = 10000 }).Build();

        var error = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("clocks", new Message<Null, string>
        {
            Value = "from the future",
            Timestamp = new Timestamp(DateTime.UtcNow.AddHours(2)),
        }));
        Assert.Equal(ErrorCode.InvalidTimestamp, error.Error.Code);

        var ok = await producer.ProduceAsync("clocks", new Message<Null, string> { Value = "now" });
        Assert.Equal(0, ok.Offset.Value);
    }

    [Fact]
    public async Task A_timestamp_older_than_message_timestamp_before_max_ms_gives_INVALID_TIMESTAMP()
    {
        await CreateTopicAsync("recent-only", new Dictionary<string, string> { ["message.timestamp.before.max.ms"] = "60000" });
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _scope.BootstrapServers, MessageTimeoutMs = 10000 }).Build();

        var error = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("recent-only", new Message<Null, string>
        {
            Value = "from the past",
            Timestamp = new Timestamp(DateTime.UtcNow.AddHours(-1)),
        }));
        Assert.Equal(ErrorCode.InvalidTimestamp, error.Error.Code);
    }

    [Theory]
    [InlineData(KafkaApiKey.IncrementalAlterConfigs, 0)]
    [InlineData(KafkaApiKey.IncrementalAlterConfigs, 1)]
    [InlineData(KafkaApiKey.AlterConfigs, 0)]
    [InlineData(KafkaApiKey.AlterConfigs, 1)]
    [InlineData(KafkaApiKey.AlterConfigs, 2)]
    public async Task Every_version_alters_a_topic_config(KafkaApiKey key, short version)
    {
        var topic = $"versions-{key}-{version}".ToLowerInvariant();
        await CreateTopicAsync(topic);
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        short error;
        if (key == KafkaApiKey.IncrementalAlterConfigs)
        {
            var request = new IncrementalAlterConfigsRequest();
            var resource = new IncrementalAlterConfigsRequest.AlterConfigsResource { ResourceType = 2, ResourceName = topic };
            resource.Configs.Add(new IncrementalAlterConfigsRequest.AlterableConfig { Name = "segment.ms", ConfigOperation = 0, Value = "60000" });
            request.Resources.Add(resource);
            await connection.SendAsync(request, version);
            var (_, response) = await connection.ReadResponseAsync<IncrementalAlterConfigsResponse>(key, version);
            error = Assert.Single(response.Responses).ErrorCode;
        }
        else
        {
            var request = new AlterConfigsRequest();
            var resource = new AlterConfigsRequest.AlterConfigsResource { ResourceType = 2, ResourceName = topic };
            resource.Configs.Add(new AlterConfigsRequest.AlterableConfig { Name = "segment.ms", Value = "60000" });
            request.Resources.Add(resource);
            await connection.SendAsync(request, version);
            var (_, response) = await connection.ReadResponseAsync<AlterConfigsResponse>(key, version);
            error = Assert.Single(response.Responses).ErrorCode;
        }
        Assert.Equal((short)Freshet.Protocol.Messages.ErrorCode.None, error);
        Assert.Equal("60000", (await DescribeAsync(topic))["segment.ms"].Value);
    }

    private IAdminClient NewAdmin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _scope.BootstrapServers }).Build();

    private static ConfigResource Topic(string name) => new() { Type = ResourceType.Topic, Name = name };

    private static Dictionary<ConfigResource, List<ConfigEntry>> Changes(string topic, params (string Name, string? Value, AlterConfigOpType Operation)[] changes) =>
        new()
        {
            [Topic(topic)] = changes.Select(c => new ConfigEntry { Name = c.Name, Value = c.Value, IncrementalOperation = c.Operation }).ToList(),
        };

    private Task CreateTopicAsync(string name, Dictionary<string, string>? configs = null) =>
        _admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = 1, ReplicationFactor = 1, Configs = configs }]);

    private async Task<Dictionary<string, ConfigEntryResult>> DescribeAsync(string topic)
    {
        var results = await _admin.DescribeConfigsAsync([Topic(topic)]);
        return Assert.Single(results).Entries;
    }

    /// <summary>The headers of every batch stored in partition 0, fetched as bytes with Fetch v12.</summary>
    private async Task<List<RecordBatchHeader>> FetchRawAsync(string topic)
    {
        const short version = 12;
        using var connection = await RawConnection.ConnectAsync(_scope.BootstrapServers);
        var request = new FetchRequest { MaxWaitMs = 0, MinBytes = 0, MaxBytes = 1 << 20, IsolationLevel = 0 };
        var fetchTopic = new FetchRequest.FetchTopic { Topic = topic };
        fetchTopic.Partitions.Add(new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1 << 20 });
        request.Topics.Add(fetchTopic);
        await connection.SendAsync(request, version);
        var (_, response) = await connection.ReadResponseAsync<FetchResponse>(KafkaApiKey.Fetch, version);
        var partition = Assert.Single(Assert.Single(response.Responses).Partitions);
        Assert.Equal((short)Freshet.Protocol.Messages.ErrorCode.None, partition.ErrorCode);
        var headers = new List<RecordBatchHeader>();
        foreach (var batch in new RecordBatchEnumerator(partition.Records!.Value.Span))
        {
            headers.Add(batch.Header);
        }
        return headers;
    }
}
