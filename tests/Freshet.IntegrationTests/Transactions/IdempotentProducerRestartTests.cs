using System.Buffers.Binary;
using System.Collections.Concurrent;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;

namespace Freshet.IntegrationTests.Transactions;

/// <summary>
/// The idempotent producer's promise through broker restarts: an enable.idempotence producer (acks=all) sends
/// 100,000 records while the broker is stopped and started again three times under it, so requests in flight are
/// lost and retried; every record is in the log exactly once, in the order it was sent within its partition.
/// </summary>
public sealed class IdempotentProducerRestartTests
{
    private const int RecordCount = 100_000;
    private const int Partitions = 4;
    private const int Restarts = 3;

    [Fact]
    public async Task Every_record_is_written_exactly_once_in_order_across_restarts()
    {
        // An fsync per append widens the time between an append and its acknowledgement, when a restart makes the
        // producer retry a batch that is already in the log.
        await using var scope = await BrokerScope.StartAsync(new Dictionary<string, string> { ["log.flush.interval.messages"] = "1" });
        await ProduceThroughRestartsAndVerifyAsync(scope.BootstrapServers, "idempotent-restarts", () => scope.RestartAsync());
    }

    /// <summary>
    /// The same through SIGKILLs of the real process: nothing is shut down cleanly, so each start rebuilds the
    /// producer state from the last snapshot and the log after it, and retries of batches that reached the log
    /// before the kill must still be recognised.
    /// </summary>
    [Fact]
    public async Task Every_record_is_written_exactly_once_in_order_across_kills()
    {
        using var data = new TempDirectory();
        var port = FreshetServer.FreePort();
        var server = await FreshetServer.StartAsync(data.Path, port, "log.segment.bytes=1048576", "log.flush.interval.messages=1");
        try
        {
            await ProduceThroughRestartsAndVerifyAsync(server.BootstrapServers, "idempotent-kills", async () =>
            {
                await server.KillAsync();
                await server.DisposeAsync();
                server = await FreshetServer.StartAsync(data.Path, port, "log.segment.bytes=1048576", "log.flush.interval.messages=1");
            });
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task ProduceThroughRestartsAndVerifyAsync(string bootstrap, string topic, Func<Task> restart)
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = Partitions, ReplicationFactor = 1 }]);
        }

        var errors = new ConcurrentQueue<string>();
        var delivered = 0;
        using (var producer = new ProducerBuilder<byte[], byte[]>(ProducerConfig(bootstrap))
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal)
                {
                    errors.Enqueue($"fatal: {error}");
                }
            })
            .Build())
        {
            for (var i = 0; i < RecordCount; i++)
            {
                ProduceOne(producer, topic, i, errors, () => Interlocked.Increment(ref delivered));
            }
            // Each restart lands while the producer is streaming, when a share of the records is acknowledged: the
            // requests in flight then die with the broker, some after their append, and are retried.
            for (var restartsDone = 0; restartsDone < Restarts; restartsDone++)
            {
                var threshold = RecordCount * (restartsDone + 1) / (Restarts + 2);
                var wait = DateTime.UtcNow.AddSeconds(60);
                while (Volatile.Read(ref delivered) < threshold && errors.IsEmpty && DateTime.UtcNow < wait)
                {
                    await Task.Delay(1);
                }
                await restart();
            }
            var deadline = DateTime.UtcNow.AddSeconds(300);
            while (producer.Flush(TimeSpan.FromSeconds(1)) > 0 && DateTime.UtcNow < deadline)
            {
            }
        }
        Assert.Empty(errors);
        Assert.Equal(RecordCount, delivered);

        var seen = new int[RecordCount];
        foreach (var (partition, values) in ConsumeAll(bootstrap, topic))
        {
            for (var j = 1; j < values.Count; j++)
            {
                Assert.True(values[j] > values[j - 1], $"Partition {partition}: {values[j]} follows {values[j - 1]}.");
            }
            foreach (var value in values)
            {
                seen[value]++;
            }
        }
        var wrong = Enumerable.Range(0, RecordCount).Where(i => seen[i] != 1).Take(10).Select(i => $"{i}x{seen[i]}").ToList();
        Assert.True(wrong.Count == 0, "Not exactly once: " + string.Join(", ", wrong));
    }

    private static ProducerConfig ProducerConfig(string bootstrap) => new()
    {
        BootstrapServers = bootstrap,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 2,
        BatchNumMessages = 200,
        QueueBufferingMaxMessages = RecordCount * 2,
        ReconnectBackoffMs = 50,
        ReconnectBackoffMaxMs = 500,
        // Every record is queued at the start, so its timeout also covers the restarts before it is sent.
        MessageTimeoutMs = 300_000,
    };

    private static void ProduceOne(IProducer<byte[], byte[]> producer, string topic, int value, ConcurrentQueue<string> errors, Action onDelivered)
    {
        var key = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(key, value % 997);
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, value);
        producer.Produce(topic, new Message<byte[], byte[]> { Key = key, Value = payload }, report =>
        {
            if (report.Error.IsError)
            {
                errors.Enqueue($"{value}: {report.Error}");
            }
            else
            {
                onDelivered();
            }
        });
    }

    private static Dictionary<int, List<int>> ConsumeAll(string bootstrap, string topic)
    {
        var result = new Dictionary<int, List<int>>();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "idempotence-check",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var finished = new HashSet<int>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (finished.Count < Partitions && DateTime.UtcNow < deadline)
        {
            var result1 = consumer.Consume(TimeSpan.FromSeconds(1));
            if (result1 is null)
            {
                continue;
            }
            if (result1.IsPartitionEOF)
            {
                finished.Add(result1.Partition.Value);
                continue;
            }
            if (!result.TryGetValue(result1.Partition.Value, out var values))
            {
                result[result1.Partition.Value] = values = [];
            }
            values.Add(BinaryPrimitives.ReadInt32BigEndian(result1.Message.Value));
        }
        Assert.Equal(Partitions, finished.Count);
        return result;
    }
}
