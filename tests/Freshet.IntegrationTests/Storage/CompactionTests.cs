using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;

namespace Freshet.IntegrationTests.Storage;

/// <summary>
/// A compacted topic through Confluent.Kafka: many updates per key (some ending in a tombstone), lz4, small
/// segments; once the cleaner has run, a consumer from the beginning sees exactly the latest value of each live
/// key, at the offset the producer was told, and nothing of the deleted keys.
/// </summary>
public sealed class CompactionTests
{
    private const int Keys = 200;
    private const int Updates = 20;
    private const string Filler = "~filler";

    [Fact]
    public async Task Compacted_topic_ends_with_the_latest_value_per_key_at_its_original_offset()
    {
        await using var scope = await BrokerScope.StartAsync(new Dictionary<string, string> { ["log.cleaner.backoff.ms"] = "50" });
        const string topic = "compacted";
        await CreateCompactedTopicAsync(scope.BootstrapServers, topic);

        var latest = new Dictionary<string, (long Offset, string? Value)>();
        using (var producer = NewProducer(scope.BootstrapServers))
        {
            for (var u = 0; u < Updates; u++)
            {
                for (var k = 0; k < Keys; k++)
                {
                    var key = $"key-{k:D3}";
                    var value = u == Updates - 1 && k % 10 == 0 ? null : Encoding.UTF8.GetBytes($"{key}-v{u}");
                    var report = await producer.ProduceAsync(topic, new Message<string, byte[]?> { Key = key, Value = value });
                    latest[key] = (report.Offset.Value, value is null ? null : Encoding.UTF8.GetString(value));
                }
            }
            // Fill past a segment so that every update sits in an inactive, cleanable segment.
            for (var i = 0; i < 300; i++)
            {
                await producer.ProduceAsync(topic, new Message<string, byte[]?> { Key = Filler, Value = new byte[40] });
            }
        }
        var expected = latest.Where(e => e.Value.Value is not null).ToDictionary(e => e.Key, e => e.Value);

        List<ConsumeResult<string, byte[]?>> records = [];
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            records = ConsumeAll(scope.BootstrapServers, topic).Where(r => r.Message.Key != Filler).ToList();
            if (records.Count == expected.Count)
            {
                break;
            }
            await Task.Delay(250);
        }

        Assert.Equal(expected.Count, records.Count);
        foreach (var record in records)
        {
            Assert.True(expected.TryGetValue(record.Message.Key, out var want), $"{record.Message.Key} should have been removed");
            Assert.Equal(want.Offset, record.Offset.Value);
            Assert.Equal(want.Value, Encoding.UTF8.GetString(record.Message.Value!));
        }
    }

    [Fact]
    public async Task Null_key_is_refused_by_a_compacted_topic()
    {
        await using var scope = await BrokerScope.StartAsync();
        const string topic = "compacted-null-key";
        await CreateCompactedTopicAsync(scope.BootstrapServers, topic);
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig
        {
            BootstrapServers = scope.BootstrapServers,
            MessageTimeoutMs = 10000,
        }).Build();

        var error = await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]>>(() =>
            producer.ProduceAsync(topic, new Message<byte[]?, byte[]> { Key = null, Value = [1, 2, 3] }));
        Assert.Equal(ErrorCode.InvalidRecord, error.Error.Code);

        var ok = await producer.ProduceAsync(topic, new Message<byte[]?, byte[]> { Key = [9], Value = [1, 2, 3] });
        Assert.Equal(PersistenceStatus.Persisted, ok.Status);
    }

    private static async Task CreateCompactedTopicAsync(string bootstrap, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync(
        [
            new TopicSpecification
            {
                Name = topic,
                NumPartitions = 1,
                ReplicationFactor = 1,
                Configs = new Dictionary<string, string>
                {
                    ["cleanup.policy"] = "compact",
                    ["segment.bytes"] = "8192",
                    ["min.cleanable.dirty.ratio"] = "0.01",
                    ["delete.retention.ms"] = "0",
                },
            },
        ]);
    }

    private static IProducer<string, byte[]?> NewProducer(string bootstrap) =>
        new ProducerBuilder<string, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            CompressionType = CompressionType.Lz4,
            Acks = Acks.All,
            LingerMs = 0,
        }).Build();

    private static List<ConsumeResult<string, byte[]?>> ConsumeAll(string bootstrap, string topic)
    {
        using var consumer = new ConsumerBuilder<string, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            GroupId = "freshet-it-reader",
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var results = new List<ConsumeResult<string, byte[]?>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(1));
            if (result is null)
            {
                continue;
            }
            if (result.IsPartitionEOF)
            {
                break;
            }
            results.Add(result);
        }
        return results;
    }
}
