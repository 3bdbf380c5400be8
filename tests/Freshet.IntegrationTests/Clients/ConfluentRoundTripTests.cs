using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;

namespace Freshet.IntegrationTests.Clients;

/// <summary>
/// 100,000 keyed messages with headers through Confluent.Kafka (librdkafka), per codec and
/// per acks level: every key, value, header and timestamp comes back, in order within each
/// partition, and again after the broker restarts on the same data.
/// </summary>
public sealed class ConfluentRoundTripTests
{
    private const int MessageCount = 100_000;
    private const int Partitions = 6;
    private const long BaseTimestamp = 1_700_000_000_000;

    public static TheoryData<string, string> Cases => new()
    {
        { "none", "all" },
        { "gzip", "all" },
        { "snappy", "all" },
        { "lz4", "all" },
        { "zstd", "all" },
        { "lz4", "1" },
        { "none", "0" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_message_comes_back_in_partition_order_and_survives_a_restart(string compression, string acks)
    {
        await using var scope = await BrokerScope.StartAsync();
        var topic = $"round-trip-{compression}-{acks.Replace("-", "m")}";
        await CreateTopicAsync(scope.BootstrapServers, topic);

        var delivered = await ProduceAsync(scope.BootstrapServers, topic, compression, acks);
        if (acks != "0")
        {
            Assert.Equal(MessageCount, delivered);
        }

        AssertAllMessages(ConsumeAll(scope.BootstrapServers, topic));
        await scope.RestartAsync();
        AssertAllMessages(ConsumeAll(scope.BootstrapServers, topic));
    }

    private static async Task CreateTopicAsync(string bootstrap, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = Partitions, ReplicationFactor = 1 }]);
    }

    private static async Task<int> ProduceAsync(string bootstrap, string topic, string compression, string acks)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = acks switch { "0" => Acks.None, "1" => Acks.Leader, _ => Acks.All },
            CompressionType = Enum.Parse<CompressionType>(compression, ignoreCase: true),
            LingerMs = 5,
            EnableIdempotence = false,
        };
        var delivered = 0;
        var failures = new List<string>();
        using (var producer = new ProducerBuilder<byte[], byte[]>(config).Build())
        {
            for (var i = 0; i < MessageCount; i++)
            {
                producer.Produce(topic, MessageFor(i), report =>
                {
                    if (report.Error.IsError)
                    {
                        lock (failures)
                        {
                            failures.Add(report.Error.ToString());
                        }
                    }
                    else
                    {
                        Interlocked.Increment(ref delivered);
                    }
                });
            }
            var remaining = producer.Flush(TimeSpan.FromSeconds(120));
            Assert.Equal(0, remaining);
        }
        Assert.Empty(failures);
        await Task.CompletedTask;
        return delivered;
    }

    private static Message<byte[], byte[]> MessageFor(int i) => new()
    {
        Key = Encoding.UTF8.GetBytes($"key-{i}"),
        Value = ValueFor(i),
        Timestamp = new Timestamp(BaseTimestamp + i, TimestampType.CreateTime),
        Headers = new Headers
        {
            { "index", BitConverter.GetBytes(i) },
            { "kind", Encoding.UTF8.GetBytes(i % 2 == 0 ? "even" : "odd") },
        },
    };

    // Varied sizes and a compressible but not constant body.
    private static byte[] ValueFor(int i)
    {
        var value = new byte[16 + (i % 200)];
        BinaryPrimitives.WriteInt32BigEndian(value, i);
        for (var j = 4; j < value.Length; j++)
        {
            value[j] = (byte)((i * 31 + j) % 251);
        }
        return value;
    }

    private static Dictionary<int, List<ConsumeResult<byte[], byte[]>>> ConsumeAll(string bootstrap, string topic)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            GroupId = "freshet-it-reader",
        };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        var ends = new Dictionary<int, long>();
        for (var p = 0; p < Partitions; p++)
        {
            ends[p] = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value;
        }
        Assert.Equal(MessageCount, ends.Values.Sum());
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var byPartition = Enumerable.Range(0, Partitions).ToDictionary(p => p, _ => new List<ConsumeResult<byte[], byte[]>>());
        var total = 0;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (total < MessageCount && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(1));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }
            byPartition[result.Partition.Value].Add(result);
            total++;
        }
        Assert.Equal(MessageCount, total);
        return byPartition;
    }

    private static void AssertAllMessages(Dictionary<int, List<ConsumeResult<byte[], byte[]>>> byPartition)
    {
        var seen = new bool[MessageCount];
        foreach (var (partition, results) in byPartition)
        {
            var previousIndex = -1;
            for (var n = 0; n < results.Count; n++)
            {
                var result = results[n];
                Assert.Equal(n, result.Offset.Value);
                var key = Encoding.UTF8.GetString(result.Message.Key);
                var i = int.Parse(key.AsSpan("key-".Length));
                Assert.True(i > previousIndex, $"partition {partition}: message {i} after {previousIndex}");
                previousIndex = i;
                Assert.False(seen[i], $"message {i} delivered twice");
                seen[i] = true;
                Assert.Equal(ValueFor(i), result.Message.Value);
                Assert.Equal(TimestampType.CreateTime, result.Message.Timestamp.Type);
                Assert.Equal(BaseTimestamp + i, result.Message.Timestamp.UnixTimestampMs);
                var headers = result.Message.Headers;
                Assert.Equal(2, headers.Count);
                Assert.Equal("index", headers[0].Key);
                Assert.Equal(BitConverter.GetBytes(i), headers[0].GetValueBytes());
                Assert.Equal("kind", headers[1].Key);
                Assert.Equal(i % 2 == 0 ? "even" : "odd", Encoding.UTF8.GetString(headers[1].GetValueBytes()));
            }
        }
        Assert.DoesNotContain(false, seen);
    }
}
