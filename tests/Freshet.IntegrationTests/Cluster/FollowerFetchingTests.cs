using System.Globalization;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Cluster.ClusterTestSupport;

namespace Freshet.IntegrationTests.Cluster;

/// <summary>
/// Fetch from the closest replica (KIP-392): three nodes in racks r1, r2 and r3 with the rack-aware replica selector,
/// a partition led from r1, and consumers with <c>client.rack</c>. The brokers log, at debug level, each consumer
/// they send to another replica and each consumer fetch a follower answers with records: those lines show which
/// broker the data came from.
/// </summary>
public sealed partial class FollowerFetchingTests
{
    private const string Topic = "nearby";
    private const int Leader = 1;

    [Fact]
    public async Task A_consumer_in_a_followers_rack_reads_every_record_from_that_follower()
    {
        await using var cluster = await FreshetCluster.StartAsync(
            3,
            new ClusterLayout
            {
                NodeOverrides = id => ["broker.rack=r" + id.ToString(CultureInfo.InvariantCulture)],
                ServeArguments = ["--log-level", "debug"],
            },
            [.. FreshetCluster.FastFailover, "replica.selector.class=org.apache.kafka.common.replica.RackAwareReplicaSelector", "auto.leader.rebalance.enable=false"]);
        await cluster.WaitForBrokersAsync(Deadline);
        await CreateTopicAsync(cluster, new TopicSpecification
        {
            Name = Topic,
            NumPartitions = 1,
            ReplicationFactor = -1,
            ReplicasAssignments = new Dictionary<int, List<int>> { [0] = [Leader, 2, 3] },
        });
        await WaitForFullIsrAsync(cluster, Topic, 1, 3);
        Assert.Equal(Leader, await cluster.WaitForLeaderAsync(Topic, 0, Deadline));

        using var producer = new ProducerBuilder<Null, string>(ReliableProducer(cluster)).Build();
        await ProduceAsync(producer, 0, 200);

        var inR2 = "consumer-r2-" + Guid.NewGuid().ToString("N")[..8];
        using var consumer = RackConsumer(cluster, inR2, "r2");
        consumer.Assign(new TopicPartitionOffset(Topic, 0, Offset.Beginning));
        ReadInOrder(consumer, 0, 200);
        // The follower keeps up with new writes: it learns the high watermark from its leader.
        await ProduceAsync(producer, 200, 100);
        ReadInOrder(consumer, 200, 100);
        consumer.Close();

        Assert.Contains($"{Topic}-0: client {inR2} in rack r2 reads from broker 2", cluster.Node(Leader).Output, StringComparison.Ordinal);
        Assert.Equal(0, BytesServedAsFollower(cluster.Node(Leader).Output, inR2));
        Assert.Equal(0, BytesServedAsFollower(cluster.Node(3).Output, inR2));
        // Every record came from broker 2: 300 records cannot fit in fewer bytes than their values.
        Assert.True(BytesServedAsFollower(cluster.Node(2).Output, inR2) >= 300 * 9, "broker 2 served the records as a follower");

        // A consumer in the leader's rack stays on the leader.
        var inR1 = "consumer-r1-" + Guid.NewGuid().ToString("N")[..8];
        using var local = RackConsumer(cluster, inR1, "r1");
        local.Assign(new TopicPartitionOffset(Topic, 0, Offset.Beginning));
        ReadInOrder(local, 0, 300);
        local.Close();
        for (var node = 1; node <= cluster.Size; node++)
        {
            Assert.DoesNotContain($"client {inR1} in rack", cluster.Node(node).Output, StringComparison.Ordinal);
            Assert.Equal(0, BytesServedAsFollower(cluster.Node(node).Output, inR1));
        }
    }

    private static async Task ProduceAsync(IProducer<Null, string> producer, int from, int count)
    {
        for (var i = from; i < from + count; i++)
            producer.Produce(Topic, new Message<Null, string> { Value = Value(i) });
        producer.Flush(Deadline);
        var last = await producer.ProduceAsync(Topic, new Message<Null, string> { Value = "flush" });
        Assert.Equal(PersistenceStatus.Persisted, last.Status);
    }

    private static string Value(int i) => "v" + i.ToString("D8", CultureInfo.InvariantCulture);

    private static IConsumer<Ignore, string> RackConsumer(FreshetCluster cluster, string clientId, string rack)
    {
        var config = Consumer(cluster);
        config.ClientId = clientId;
        config.ClientRack = rack;
        return new ConsumerBuilder<Ignore, string>(config).Build();
    }

    /// <summary>Reads until <paramref name="count"/> records from <paramref name="from"/> have arrived, in order (the "flush" markers aside).</summary>
    private static void ReadInOrder(IConsumer<Ignore, string> consumer, int from, int count)
    {
        var next = from;
        var until = DateTime.UtcNow + Deadline;
        while (next < from + count)
        {
            Assert.True(DateTime.UtcNow < until, $"read up to record {next} of {from + count} within {Deadline.TotalSeconds:0} s");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null || result.IsPartitionEOF || result.Message.Value == "flush")
                continue;
            Assert.Equal(Value(next), result.Message.Value);
            next++;
        }
    }

    private static long BytesServedAsFollower(string output, string clientId)
    {
        var total = 0L;
        foreach (Match match in ServedLine().Matches(output))
        {
            if (match.Groups["client"].Value == clientId)
                total += long.Parse(match.Groups["bytes"].Value, CultureInfo.InvariantCulture);
        }
        return total;
    }

    [GeneratedRegex(@"nearby-0: served client (?<client>\S+) (?<bytes>[0-9]+) bytes from offset [0-9]+ as a follower")]
    private static partial Regex ServedLine();
}
