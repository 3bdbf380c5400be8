using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Storage;

namespace Freshet.IntegrationTests.Storage;

/// <summary>
/// The broker is stopped, its files are damaged as a crash or a bad disk leaves them, and the marker and
/// checkpoint that would vouch for them are removed (a crash writes neither). It starts, truncates at the first
/// invalid byte or rebuilds the indexes, serves every whole batch at its offset, and appends at the right offset.
/// </summary>
public sealed class TornTailTests
{
    private const string Topic = "torn";
    private const int Records = 60;

    [Fact]
    public async Task Garbage_after_the_last_batch_is_cut_off()
    {
        await using var scope = await StartWithRecordsAsync();
        await scope.RestartAsync(() => Crash(scope, () => File.AppendAllText(LastLog(scope), new string('x', 100))));
        await AssertServesAndAppendsAsync(scope, Records);
    }

    [Fact]
    public async Task A_batch_torn_in_the_middle_is_dropped()
    {
        await using var scope = await StartWithRecordsAsync();
        await scope.RestartAsync(() => Crash(scope, () =>
        {
            var log = LastLog(scope);
            using var file = new FileStream(log, FileMode.Open);
            file.SetLength(file.Length - 10);
        }));
        // Each record is its own batch, so the torn batch takes exactly the last record.
        await AssertServesAndAppendsAsync(scope, Records - 1);
    }

    [Fact]
    public async Task Corrupt_and_missing_indexes_are_rebuilt()
    {
        await using var scope = await StartWithRecordsAsync();
        await scope.RestartAsync(() => Crash(scope, () =>
        {
            var indexes = Directory.GetFiles(PartitionDir(scope), "*" + LogFileNames.IndexSuffix).Order(StringComparer.Ordinal).ToList();
            Assert.True(indexes.Count >= 3, $"Only {indexes.Count} segments.");
            File.WriteAllBytes(indexes[0], [.. Enumerable.Repeat((byte)0xFF, 64)]);
            File.Delete(indexes[1]);
            File.Delete(Path.ChangeExtension(indexes[1], LogFileNames.TimeIndexSuffix));
            File.WriteAllBytes(indexes[^1], [1, 2, 3]);
        }));
        await AssertServesAndAppendsAsync(scope, Records);
    }

    private static async Task<BrokerScope> StartWithRecordsAsync()
    {
        var scope = await BrokerScope.StartAsync();
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = scope.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification
                {
                    Name = Topic,
                    NumPartitions = 1,
                    ReplicationFactor = 1,
                    Configs = new Dictionary<string, string> { ["segment.bytes"] = "2048", ["index.interval.bytes"] = "100" },
                },
            ]);
        }
        using var producer = NewProducer(scope);
        for (var i = 0; i < Records; i++)
        {
            var result = await producer.ProduceAsync(Topic, new Message<Null, string> { Value = Value(i) });
            Assert.Equal(i, result.Offset.Value);
        }
        return scope;
    }

    private static IProducer<Null, string> NewProducer(BrokerScope scope) =>
        new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = scope.BootstrapServers,
            Acks = Acks.Leader,
            LingerMs = 0,
            EnableIdempotence = false,
        }).Build();

    private static string Value(int i) => $"value-{i:D4}-" + new string('p', 40);

    private static string PartitionDir(BrokerScope scope) => Path.Combine(scope.DataDirectory, Topic + "-0");

    private static string LastLog(BrokerScope scope) =>
        Directory.GetFiles(PartitionDir(scope), "*" + LogFileNames.LogSuffix).Order(StringComparer.Ordinal).Last();

    /// <summary>A crash leaves no clean-shutdown marker and an older recovery point: here none, so every segment is re-read.</summary>
    private static void Crash(BrokerScope scope, Action damage)
    {
        File.Delete(Path.Combine(scope.DataDirectory, LogFileNames.CleanShutdownMarker));
        File.Delete(Path.Combine(scope.DataDirectory, LogFileNames.RecoveryPointCheckpoint));
        damage();
    }

    private static async Task AssertServesAndAppendsAsync(BrokerScope scope, int expected)
    {
        Assert.Equal(Enumerable.Range(0, expected).Select(Value), Read(scope, 0, expected));
        // A fetch from the middle goes through the (rebuilt) offset index.
        Assert.Equal(Enumerable.Range(expected / 2, expected - expected / 2).Select(Value), Read(scope, expected / 2, expected - expected / 2));

        using var producer = NewProducer(scope);
        var next = await producer.ProduceAsync(Topic, new Message<Null, string> { Value = "after" });
        Assert.Equal(expected, next.Offset.Value);
        Assert.Equal("after", Read(scope, expected, 1).Single());
    }

    private static List<string> Read(BrokerScope scope, long from, int count)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = scope.BootstrapServers,
            GroupId = "freshet-it-reader",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(Topic, 0, from));
        var values = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (values.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result)
            {
                Assert.Equal(from + values.Count, result.Offset.Value);
                values.Add(result.Message.Value);
            }
        }
        return values;
    }
}
