using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;

namespace Freshet.IntegrationTests.Clients;

/// <summary>Topic administration and Kafka's error codes, seen through Confluent.Kafka's AdminClient, producer and consumer.</summary>
public sealed class AdminAndErrorTests : IAsyncLifetime
{
    private BrokerScope _scope = null!;
    private IAdminClient _admin = null!;

    public async Task InitializeAsync()
    {
        _scope = await BrokerScope.StartAsync(new Dictionary<string, string> { ["auto.create.topics.enable"] = "false" });
        _admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _scope.BootstrapServers }).Build();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _scope.DisposeAsync();
    }

    [Fact]
    public async Task Create_describe_and_delete_a_topic()
    {
        await _admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = "orders",
            NumPartitions = 3,
            ReplicationFactor = 1,
            Configs = new Dictionary<string, string> { ["retention.ms"] = "3600000", ["cleanup.policy"] = "delete" },
        }]);

        var metadata = _admin.GetMetadata("orders", TimeSpan.FromSeconds(10));
        var topic = Assert.Single(metadata.Topics);
        Assert.Equal(ErrorCode.NoError, topic.Error.Code);
        Assert.Equal(3, topic.Partitions.Count);

        var configs = await _admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "orders" }]);
        var entries = Assert.Single(configs).Entries;
        Assert.Equal("3600000", entries["retention.ms"].Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, entries["retention.ms"].Source);
        Assert.Equal("1048588", entries["max.message.bytes"].Value);
        Assert.True(entries["max.message.bytes"].IsDefault || entries["max.message.bytes"].Source != ConfigSource.DynamicTopicConfig);

        await _admin.DeleteTopicsAsync(["orders"]);
        var after = _admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(after.Topics, t => t.Topic == "orders");
    }

    [Fact]
    public async Task Broker_configs_are_described_with_their_kafka_names()
    {
        var configs = await _admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "1" }]);
        var entries = Assert.Single(configs).Entries;
        Assert.Equal("1", entries["num.partitions"].Value);
        Assert.Equal("false", entries["auto.create.topics.enable"].Value);
        Assert.Equal("1048588", entries["message.max.bytes"].Value);
    }

    [Fact]
    public async Task Creating_an_existing_topic_gives_TOPIC_ALREADY_EXISTS()
    {
        await _admin.CreateTopicsAsync([new TopicSpecification { Name = "twice", NumPartitions = 1 }]);
        var error = await Assert.ThrowsAsync<CreateTopicsException>(() => _admin.CreateTopicsAsync([new TopicSpecification { Name = "twice", NumPartitions = 1 }]));
        Assert.Equal(ErrorCode.TopicAlreadyExists, Assert.Single(error.Results).Error.Code);
    }

    [Theory]
    [InlineData("bad/name", 1, (short)1, ErrorCode.TopicException)]
    [InlineData("..", 1, (short)1, ErrorCode.TopicException)]
    [InlineData("zero-partitions", 0, (short)1, ErrorCode.InvalidPartitions)]
    [InlineData("too-many-replicas", 1, (short)3, ErrorCode.InvalidReplicationFactor)]
    public async Task Invalid_topics_are_refused_with_kafka_error_codes(string name, int partitions, short replicationFactor, ErrorCode expected)
    {
        var error = await Assert.ThrowsAsync<CreateTopicsException>(() => _admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = replicationFactor }]));
        Assert.Equal(expected, Assert.Single(error.Results).Error.Code);
    }

    [Fact]
    public async Task An_invalid_topic_config_gives_INVALID_CONFIG()
    {
        var error = await Assert.ThrowsAsync<CreateTopicsException>(() => _admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = "bad-config",
            NumPartitions = 1,
            Configs = new Dictionary<string, string> { ["cleanup.policy"] = "sometimes" },
        }]));
        Assert.Equal(ErrorCode.InvalidConfig, Assert.Single(error.Results).Error.Code);
    }

    [Fact]
    public async Task Validate_only_creates_nothing()
    {
        await _admin.CreateTopicsAsync([new TopicSpecification { Name = "dry-run", NumPartitions = 2 }], new CreateTopicsOptions { ValidateOnly = true });
        var metadata = _admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(metadata.Topics, t => t.Topic == "dry-run");
    }

    [Fact]
    public async Task Deleting_an_unknown_topic_gives_UNKNOWN_TOPIC_OR_PARTITION()
    {
        var error = await Assert.ThrowsAsync<DeleteTopicsException>(() => _admin.DeleteTopicsAsync(["never-created"]));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Assert.Single(error.Results).Error.Code);
    }

    [Fact]
    public async Task A_batch_over_max_message_bytes_gives_MESSAGE_TOO_LARGE()
    {
        await _admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = "small-messages",
            NumPartitions = 1,
            Configs = new Dictionary<string, string> { ["max.message.bytes"] = "1024" },
        }]);
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = _scope.BootstrapServers, MessageTimeoutMs = 10000 }).Build();
        var error = await Assert.ThrowsAsync<ProduceException<Null, byte[]>>(() => producer.ProduceAsync("small-messages", new Message<Null, byte[]> { Value = new byte[4096] }));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, error.Error.Code);

        var ok = await producer.ProduceAsync("small-messages", new Message<Null, byte[]> { Value = new byte[100] });
        Assert.Equal(0, ok.Offset.Value);
    }

    [Fact]
    public async Task Producing_to_an_unknown_topic_fails_when_auto_creation_is_off()
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _scope.BootstrapServers, MessageTimeoutMs = 3000 }).Build();
        var error = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("no-such-topic", new Message<Null, string> { Value = "x" }));
        Assert.True(error.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_MsgTimedOut, error.Error.ToString());
    }

    [Fact]
    public async Task Offsets_by_time_earliest_and_latest()
    {
        await _admin.CreateTopicsAsync([new TopicSpecification { Name = "timed", NumPartitions = 1 }]);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _scope.BootstrapServers, LingerMs = 0 }).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                // Separate batches, each with its own timestamp, so the time index can tell them apart.
                await producer.ProduceAsync("timed", new Message<Null, string> { Value = $"m{i}", Timestamp = new Timestamp(1_000_000 + (i * 1000), TimestampType.CreateTime) });
            }
        }
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig { BootstrapServers = _scope.BootstrapServers, GroupId = "freshet-it-reader", EnableAutoCommit = false }).Build();
        var tp = new TopicPartition("timed", 0);
        var marks = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
        Assert.Equal(0, marks.Low.Value);
        Assert.Equal(10, marks.High.Value);

        var found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(tp, new Timestamp(1_000_000 + 4500, TimestampType.CreateTime))], TimeSpan.FromSeconds(10));
        Assert.Equal(5, Assert.Single(found).Offset.Value);

        var beyond = consumer.OffsetsForTimes([new TopicPartitionTimestamp(tp, new Timestamp(9_000_000_000, TimestampType.CreateTime))], TimeSpan.FromSeconds(10));
        Assert.Equal(Offset.End, Assert.Single(beyond).Offset);
    }

    [Fact]
    public async Task Fetching_past_the_end_gives_OFFSET_OUT_OF_RANGE()
    {
        await _admin.CreateTopicsAsync([new TopicSpecification { Name = "short-log", NumPartitions = 1 }]);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _scope.BootstrapServers }).Build())
        {
            await producer.ProduceAsync("short-log", new Message<Null, string> { Value = "only" });
        }
        ConsumeException? error = null;
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = _scope.BootstrapServers,
            GroupId = "freshet-it-reader",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Error,
        }).Build();
        consumer.Assign(new TopicPartitionOffset("short-log", 0, 50));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (error is null && DateTime.UtcNow < deadline)
        {
            try
            {
                consumer.Consume(TimeSpan.FromSeconds(1));
            }
            catch (ConsumeException ex)
            {
                error = ex;
            }
        }
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.Local_AutoOffsetReset, error.Error.Code);
        Assert.Contains("out of range", error.Error.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Acks_all_below_min_insync_replicas_gives_NOT_ENOUGH_REPLICAS_while_acks_1_succeeds()
    {
        await _admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = "needs-two-replicas",
            NumPartitions = 1,
            Configs = new Dictionary<string, string> { ["min.insync.replicas"] = "2" },
        }]);
        using (var strict = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _scope.BootstrapServers, Acks = Acks.All, MessageTimeoutMs = 3000 }).Build())
        {
            var error = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => strict.ProduceAsync("needs-two-replicas", new Message<Null, string> { Value = "x" }));
            Assert.True(error.Error.Code is ErrorCode.NotEnoughReplicas or ErrorCode.Local_MsgTimedOut, error.Error.ToString());
        }
        using var relaxed = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _scope.BootstrapServers, Acks = Acks.Leader }).Build();
        var report = await relaxed.ProduceAsync("needs-two-replicas", new Message<Null, string> { Value = "y" });
        Assert.Equal(0, report.Offset.Value);
    }
}
