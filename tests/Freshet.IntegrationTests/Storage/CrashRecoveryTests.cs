using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;

namespace Freshet.IntegrationTests.Storage;

/// <summary>
/// The real `freshet` process killed with SIGKILL while a producer with acks=1 and no retries writes: after each
/// restart every acknowledged record is readable at the offset its acknowledgement named, and no value is stored
/// twice. The kill loses nothing the OS has (the page cache survives a process crash), so a lost or moved record
/// would be a recovery bug: a truncation too far back, or offsets reassigned.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const string Topic = "crash";
    private const int Partitions = 3;
    private const int Rounds = 8;

    [Fact]
    public async Task Acknowledged_records_survive_repeated_sigkill_at_their_offsets()
    {
        using var data = new TempDirectory();
        var acked = new Dictionary<string, (int Partition, long Offset)>(StringComparer.Ordinal);
        var random = new Random(1234);
        var server = await FreshetServer.StartAsync(data.Path, FreshetServer.FreePort());
        try
        {
            await CreateTopicAsync(server.BootstrapServers);
            for (var round = 0; round < Rounds; round++)
            {
                await ProduceUntilKilledAsync(server, round, TimeSpan.FromMilliseconds(random.Next(250, 700)), acked);
                // A fresh port each time: a killed listener's port may linger.
                server = await FreshetServer.StartAsync(data.Path, FreshetServer.FreePort());
                AssertAcknowledgedRecordsAreStored(server.BootstrapServers, acked);
            }
            Assert.True(acked.Count > Rounds * 100, $"Only {acked.Count} records were acknowledged.");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task CreateTopicAsync(string bootstrap)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync(
        [
            new TopicSpecification
            {
                Name = Topic,
                NumPartitions = Partitions,
                ReplicationFactor = 1,
                // Small segments, so kills land in every phase: mid-append, mid-roll, on fresh segments.
                Configs = new Dictionary<string, string> { ["segment.bytes"] = "16384", ["index.interval.bytes"] = "512" },
            },
        ]);
    }

    private static async Task ProduceUntilKilledAsync(FreshetServer server, int round, TimeSpan killAfter, Dictionary<string, (int, long)> acked)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = server.BootstrapServers,
            Acks = Acks.Leader,
            MessageSendMaxRetries = 0,
            EnableIdempotence = false,
            LingerMs = 1,
            MessageTimeoutMs = 3000,
        };
        using var producer = new ProducerBuilder<Null, string>(config).Build();
        var kill = Task.Delay(killAfter).ContinueWith(_ => server.KillAsync()).Unwrap();
        var sent = 0;
        // Bounded even if the kill never completes, so a stuck kill fails the test instead of spinning.
        var produceUntil = DateTime.UtcNow.AddSeconds(60);
        while (!kill.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < produceUntil, "The broker process was not killed within 60 s.");
            var value = $"r{round}-{sent}";
            try
            {
                producer.Produce(Topic, new Message<Null, string> { Value = value }, report =>
                {
                    if (!report.Error.IsError)
                    {
                        lock (acked)
                        {
                            Assert.True(acked.TryAdd(value, (report.Partition.Value, report.Offset.Value)), $"{value} acknowledged twice.");
                        }
                    }
                });
                sent++;
            }
            catch (ProduceException<Null, string> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                await Task.Delay(5);
            }
            if (sent % 200 == 0)
            {
                await Task.Delay(1);
            }
        }
        await kill;
        // Acknowledgements already received are delivered; what was in flight fails or is dropped.
        producer.Flush(TimeSpan.FromMilliseconds(500));
    }

    private static void AssertAcknowledgedRecordsAreStored(string bootstrap, Dictionary<string, (int Partition, long Offset)> acked)
    {
        var stored = ReadAll(bootstrap);
        var byValue = new Dictionary<string, (int, long)>(StringComparer.Ordinal);
        foreach (var (position, value) in stored)
        {
            Assert.True(byValue.TryAdd(value, position), $"{value} is stored twice: at {byValue.GetValueOrDefault(value)} and {position}.");
        }
        foreach (var (value, position) in acked)
        {
            Assert.True(stored.TryGetValue(position, out var found), $"Acknowledged {value} at {position} is missing.");
            Assert.Equal(value, found);
        }
    }

    private static Dictionary<(int Partition, long Offset), string> ReadAll(string bootstrap)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "freshet-it-reader",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Error,
        };
        using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
        var stored = new Dictionary<(int, long), string>();
        var ends = new Dictionary<int, long>();
        for (var partition = 0; partition < Partitions; partition++)
        {
            ends[partition] = consumer.QueryWatermarkOffsets(new TopicPartition(Topic, partition), TimeSpan.FromSeconds(10)).High.Value;
        }
        var pending = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
        consumer.Assign(pending.Select(p => new TopicPartitionOffset(Topic, p, 0)));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (pending.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Reading timed out; partitions {string.Join(',', pending)} are not read to their end.");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null)
            {
                continue;
            }
            stored[(result.Partition.Value, result.Offset.Value)] = result.Message.Value;
            if (result.Offset.Value >= ends[result.Partition.Value] - 1)
            {
                pending.Remove(result.Partition.Value);
            }
        }
        return stored;
    }
}
