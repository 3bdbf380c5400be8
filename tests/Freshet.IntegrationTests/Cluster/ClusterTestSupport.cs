using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;

namespace Freshet.IntegrationTests.Cluster;

/// <summary>Topic creation and client settings shared by the cluster tests.</summary>
internal static class ClusterTestSupport
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Creates a topic, retrying while the cluster is still forming (no controller yet, too few brokers).</summary>
    public static async Task CreateTopicAsync(FreshetCluster cluster, TopicSpecification topic)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.RunningBootstrapServers() }).Build();
            try
            {
                await admin.CreateTopicsAsync([topic], new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
                return;
            }
            catch (CreateTopicsException e) when (e.Results[0].Error.Code == ErrorCode.TopicAlreadyExists)
            {
                return;
            }
            catch (KafkaException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>
    /// Waits until every partition of the topic has a leader and all its replicas in sync; on a timeout the message
    /// carries each node's view of the partitions.
    /// </summary>
    public static async Task WaitForFullIsrAsync(FreshetCluster cluster, string topic, int partitions, int replicas)
    {
        try
        {
            await FreshetCluster.WaitUntilAsync(
                () =>
                {
                    for (var p = 0; p < partitions; p++)
                    {
                        if (cluster.NodeLeading(topic, p) < 0 || cluster.InSyncReplicas(topic, p)?.Length != replicas)
                            return false;
                    }
                    return true;
                },
                Deadline,
                $"every partition of {topic} has a leader and {replicas} in-sync replicas");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; as each node sees it:\n{await cluster.PartitionViewsAsync(topic)}", e);
        }
    }

    /// <summary>An idempotent acks=all producer that keeps retrying through failovers.</summary>
    public static ProducerConfig ReliableProducer(FreshetCluster cluster) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        MessageTimeoutMs = 120_000,
        RequestTimeoutMs = 5_000,
        RetryBackoffMs = 100,
        RetryBackoffMaxMs = 500,
        TopicMetadataRefreshIntervalMs = 1_000,
        SocketConnectionSetupTimeoutMs = 3_000,
        ReconnectBackoffMaxMs = 500,
        LingerMs = 5,
    };

    public static ConsumerConfig Consumer(FreshetCluster cluster) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        GroupId = "cluster-test-" + Guid.NewGuid().ToString("N")[..8],
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        TopicMetadataRefreshIntervalMs = 1_000,
        ReconnectBackoffMaxMs = 500,
        SocketConnectionSetupTimeoutMs = 3_000,
    };

    /// <summary>Sends <paramref name="count"/> records keyed and valued "prefix-i", and checks each was persisted.</summary>
    public static async Task ProduceKeyedAsync(IProducer<string, string> producer, string topic, string prefix, int count, List<string> sent)
    {
        var deliveries = new List<Task<DeliveryResult<string, string>>>(count);
        for (var i = 0; i < count; i++)
        {
            var value = $"{prefix}-{i}";
            deliveries.Add(producer.ProduceAsync(topic, new Message<string, string> { Key = value, Value = value }));
            sent.Add(value);
        }
        foreach (var delivery in deliveries)
            Assert.Equal(PersistenceStatus.Persisted, (await delivery).Status);
    }

    /// <summary>Reads the topic from the start, in a group or by assignment, until <paramref name="expected"/> values came.</summary>
    public static List<string> ConsumeAll(FreshetCluster cluster, string topic, int partitions, int expected, bool subscribe)
    {
        var config = Consumer(cluster);
        config.BootstrapServers = cluster.RunningBootstrapServers();
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        if (subscribe)
            consumer.Subscribe(topic);
        else
            consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var received = new List<string>();
        var until = DateTime.UtcNow + Deadline;
        while (received.Count < expected && DateTime.UtcNow < until)
        {
            if (consumer.Consume(TimeSpan.FromSeconds(1)) is { IsPartitionEOF: false, Message: { } message })
                received.Add(message.Value);
        }
        consumer.Close();
        return received;
    }
}
