using System.Globalization;
using Confluent.Kafka;

namespace Freshet.IntegrationTests.Transactions;

/// <summary>Transactional producers and consumers at either isolation level, reading whole topics.</summary>
internal static class TransactionTestSupport
{
    public static IProducer<string, string> TransactionalProducer(string bootstrap, string transactionalId, int transactionTimeoutMs = 60_000) =>
        new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            TransactionalId = transactionalId,
            TransactionTimeoutMs = transactionTimeoutMs,
            MessageTimeoutMs = Math.Min(transactionTimeoutMs, 60_000),
            LingerMs = 5,
        }).Build();

    /// <summary>Every value of every partition of the topic, up to the end the isolation level allows.</summary>
    public static List<string> ReadAll(string bootstrap, string topic, int partitions, IsolationLevel isolation)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = isolation,
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 50,
        }).Build();
        var tps = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList();
        consumer.Assign(tps.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
        var values = new List<string>();
        var atEnd = new HashSet<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (atEnd.Count < partitions)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{topic} not read to its end within 60 s ({values.Count} values read)");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }
            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.Partition.Value);
                continue;
            }
            atEnd.Remove(result.Partition.Value);
            values.Add(result.Message.Value);
        }
        return values;
    }

    /// <summary>The end offset a consumer of the isolation level sees: the last stable offset for read_committed.</summary>
    public static long EndOffset(string bootstrap, string topic, int partition, IsolationLevel isolation)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "offsets-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = isolation,
        }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10)).High.Value;
    }

    public static string Value(int i) => i.ToString(CultureInfo.InvariantCulture);
}
