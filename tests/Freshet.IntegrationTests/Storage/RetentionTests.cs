using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;

namespace Freshet.IntegrationTests.Storage;

/// <summary>
/// DeleteRecords, size retention and time retention seen through Confluent.Kafka: the low watermark moves, and a
/// consumer from the beginning starts there. Retention runs every 100 ms here; each test polls with a deadline.
/// </summary>
public sealed class RetentionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string> FastRetention = new() { ["log.retention.check.interval.ms"] = "100" };

    [Fact]
    public async Task DeleteRecords_moves_the_low_watermark_and_a_consumer_from_the_beginning_starts_there()
    {
        await using var scope = await BrokerScope.StartAsync();
        await CreateTopicAsync(scope.BootstrapServers, "delete-records", new Dictionary<string, string> { ["segment.bytes"] = "2000" });
        await ProduceAsync(scope.BootstrapServers, "delete-records", 100, DateTimeOffset.UtcNow);

        using (var admin = NewAdmin(scope.BootstrapServers))
        {
            var result = await admin.DeleteRecordsAsync([new TopicPartitionOffset("delete-records", 0, 40)]);
            Assert.Equal(40, Assert.Single(result).Offset.Value);

            var error = await Assert.ThrowsAsync<DeleteRecordsException>(() => admin.DeleteRecordsAsync([new TopicPartitionOffset("delete-records", 0, 101)]));
            Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Single(error.Results).Error.Code);
        }

        AssertWatermarks(scope.BootstrapServers, "delete-records", 40, 100);
        Assert.Equal(40, FirstOffsetFromBeginning(scope.BootstrapServers, "delete-records"));
        // A fetch below the low watermark gets OFFSET_OUT_OF_RANGE; auto.offset.reset=earliest moves the consumer to it.
        Assert.Equal(40, FirstOffsetFrom(scope.BootstrapServers, "delete-records", 10));

        await scope.RestartAsync();
        AssertWatermarks(scope.BootstrapServers, "delete-records", 40, 100);

        using (var admin = NewAdmin(scope.BootstrapServers))
        {
            // Offset -1 (Offset.End) deletes up to the high watermark.
            var result = await admin.DeleteRecordsAsync([new TopicPartitionOffset("delete-records", 0, Offset.End)]);
            Assert.Equal(100, Assert.Single(result).Offset.Value);
        }
        AssertWatermarks(scope.BootstrapServers, "delete-records", 100, 100);
    }

    [Fact]
    public async Task Size_retention_drops_old_segments_and_the_earliest_offset_advances()
    {
        await using var scope = await BrokerScope.StartAsync(FastRetention);
        await CreateTopicAsync(scope.BootstrapServers, "size-retention", new Dictionary<string, string>
        {
            ["segment.bytes"] = "1024",
            ["retention.bytes"] = "4096",
        });
        await ProduceAsync(scope.BootstrapServers, "size-retention", 300, DateTimeOffset.UtcNow);

        var low = await WaitForLowWatermarkAsync(scope.BootstrapServers, "size-retention", low => low > 0);

        Assert.InRange(low, 1, 299);
        Assert.Equal(low, FirstOffsetFromBeginning(scope.BootstrapServers, "size-retention"));
    }

    [Fact]
    public async Task Time_retention_drops_segments_with_old_timestamps()
    {
        await using var scope = await BrokerScope.StartAsync(FastRetention);
        await CreateTopicAsync(scope.BootstrapServers, "time-retention", new Dictionary<string, string>
        {
            ["segment.bytes"] = "1024",
            ["retention.ms"] = "60000",
        });
        await ProduceAsync(scope.BootstrapServers, "time-retention", 100, DateTimeOffset.UtcNow.AddHours(-1));
        await ProduceAsync(scope.BootstrapServers, "time-retention", 20, DateTimeOffset.UtcNow);

        // Every segment holding only hour-old records goes; the segment where recent records begin stays.
        var low = await WaitForLowWatermarkAsync(scope.BootstrapServers, "time-retention", low => low > 0);
        Assert.InRange(low, 1, 100);
        Assert.Equal(low, FirstOffsetFromBeginning(scope.BootstrapServers, "time-retention"));
    }

    [Fact]
    public async Task An_expired_active_segment_is_rolled_and_deleted_and_producing_goes_on()
    {
        await using var scope = await BrokerScope.StartAsync(FastRetention);
        await CreateTopicAsync(scope.BootstrapServers, "all-expired", new Dictionary<string, string> { ["retention.ms"] = "60000" });
        await ProduceAsync(scope.BootstrapServers, "all-expired", 10, DateTimeOffset.UtcNow.AddHours(-1));

        await WaitForLowWatermarkAsync(scope.BootstrapServers, "all-expired", low => low == 10);

        await ProduceAsync(scope.BootstrapServers, "all-expired", 5, DateTimeOffset.UtcNow);
        AssertWatermarks(scope.BootstrapServers, "all-expired", 10, 15);
        Assert.Equal(10, FirstOffsetFromBeginning(scope.BootstrapServers, "all-expired"));
    }

    private static IAdminClient NewAdmin(string bootstrap) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();

    private static async Task CreateTopicAsync(string bootstrap, string topic, Dictionary<string, string> configs)
    {
        using var admin = NewAdmin(bootstrap);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1, Configs = configs }]);
    }

    /// <summary>One record per batch (no linger), so small segments roll often.</summary>
    private static async Task ProduceAsync(string bootstrap, string topic, int count, DateTimeOffset timestamp)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 0, Acks = Acks.All }).Build();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(topic, new Message<string, string>
            {
                Key = $"key-{i}",
                Value = new string('v', 60),
                Timestamp = new Timestamp(timestamp.AddMilliseconds(i)),
            });
        }
    }

    private static IConsumer<string, string> NewConsumer(string bootstrap) =>
        new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "freshet-it-reader",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();

    private static void AssertWatermarks(string bootstrap, string topic, long low, long high)
    {
        using var consumer = NewConsumer(bootstrap);
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10));
        Assert.Equal((low, high), (watermarks.Low.Value, watermarks.High.Value));
    }

    private static async Task<long> WaitForLowWatermarkAsync(string bootstrap, string topic, Func<long, bool> reached)
    {
        using var consumer = NewConsumer(bootstrap);
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var low = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10)).Low.Value;
            if (reached(low))
            {
                return low;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The low watermark of {topic} is still {low}.");
            await Task.Delay(100);
        }
    }

    private static long FirstOffsetFromBeginning(string bootstrap, string topic) => FirstOffsetFrom(bootstrap, topic, Offset.Beginning);

    private static long FirstOffsetFrom(string bootstrap, string topic, Offset start)
    {
        using var consumer = NewConsumer(bootstrap);
        consumer.Assign(new TopicPartitionOffset(topic, 0, start));
        var result = consumer.Consume(Deadline);
        Assert.NotNull(result);
        return result.Offset.Value;
    }
}
