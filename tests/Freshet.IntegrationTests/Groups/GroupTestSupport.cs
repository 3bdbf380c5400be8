using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Freshet.IntegrationTests.Groups;

/// <summary>Topic set-up, producing, and polling group consumers until their assignments settle.</summary>
internal static class GroupTestSupport
{
    /// <summary>The broker settings group tests run with: no initial rebalance delay, so joins complete at once.</summary>
    public static Dictionary<string, string> BrokerSettings => new() { ["group.initial.rebalance.delay.ms"] = "0" };

    public static async Task CreateTopicAsync(string bootstrap, string topic, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    /// <summary>Produces values "0".."count-1" round-robin over the partitions (value i goes to partition i % partitions).</summary>
    public static async Task ProduceAsync(string bootstrap, string topic, int partitions, int count)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5 }).Build();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(new TopicPartition(topic, i % partitions), new Message<Null, string> { Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        producer.Flush(TimeSpan.FromSeconds(30));
        await Task.CompletedTask;
    }

    public static IConsumer<Ignore, string> Consumer(string bootstrap, string group, PartitionAssignmentStrategy strategy, string? instanceId = null, int sessionTimeoutMs = 10000)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            GroupInstanceId = instanceId,
            PartitionAssignmentStrategy = strategy,
            SessionTimeoutMs = sessionTimeoutMs,
            HeartbeatIntervalMs = 500,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        };
        return new ConsumerBuilder<Ignore, string>(config).Build();
    }

    /// <summary>
    /// Polls every consumer in turn (a consumer only takes part in a rebalance while it is
    /// polled) until <paramref name="settled"/> holds for their assignments, or fails at the deadline.
    /// </summary>
    public static void PollUntil(IReadOnlyList<IConsumer<Ignore, string>> consumers, Func<IReadOnlyList<List<TopicPartition>>, bool> settled, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            foreach (var consumer in consumers)
            {
                consumer.Consume(TimeSpan.FromMilliseconds(50));
            }
            if (settled([.. consumers.Select(c => c.Assignment)]))
            {
                return;
            }
        }
        var seen = string.Join(" | ", consumers.Select(c => string.Join(",", c.Assignment.Select(tp => tp.Partition.Value))));
        Assert.Fail($"Timed out waiting for {what}; assignments: {seen}");
    }

    /// <summary>Every consumer holds at least one partition, no partition twice, all of them covered.</summary>
    public static bool DisjointAndComplete(IReadOnlyList<List<TopicPartition>> assignments, int partitions)
    {
        var all = assignments.SelectMany(a => a).Select(tp => tp.Partition.Value).ToList();
        return assignments.All(a => a.Count > 0) && all.Count == partitions && all.Distinct().Count() == partitions;
    }
}
