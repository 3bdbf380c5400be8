using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Freshet.IntegrationTests.Cluster.ClusterTestSupport;

namespace Freshet.IntegrationTests.Cluster;

/// <summary>
/// Three nodes, a topic with replication factor 3 and min.insync.replicas 2, an idempotent acks=all producer and a
/// consumer, while nodes are killed with SIGKILL and restarted: the leader of a partition, the active controller,
/// and two nodes at once. Timeouts are tuned down (<see cref="FreshetCluster.FastFailover"/>) to keep it near a minute.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const string Topic = "chaos";
    private const int Partitions = 3;
    private const int Rounds = 2;

    [Fact]
    public async Task Acknowledged_records_survive_killed_leaders_controllers_and_pairs_of_nodes()
    {
        await using var cluster = await FreshetCluster.StartAsync(
            3, [.. FreshetCluster.FastFailover, "min.insync.replicas=2", "default.replication.factor=3", "offsets.topic.replication.factor=3"]);
        await cluster.WaitForBrokersAsync(Deadline);
        await CreateTopicAsync(cluster, new TopicSpecification
        {
            Name = Topic,
            NumPartitions = Partitions,
            ReplicationFactor = 3,
            Configs = new Dictionary<string, string> { ["min.insync.replicas"] = "2" },
        });
        await WaitForFullIsrAsync(cluster, Topic, Partitions, 3);

        var log = new DeliveryLog(Partitions);
        using var stopProducing = new CancellationTokenSource();
        using var stopConsuming = new CancellationTokenSource();
        var producing = Task.Run(() => Produce(cluster, log, stopProducing.Token));
        var consuming = Task.Run(() => Consume(cluster, log, stopConsuming.Token));
        try
        {
            await FreshetCluster.WaitUntilAsync(() => log.AcknowledgedCount >= 100, Deadline, "the producer writes before any node is killed");
            var chaosStart = log.NowMs;
            for (var round = 0; round < Rounds; round++)
            {
                var leader = await cluster.WaitForLeaderAsync(Topic, round % Partitions, Deadline);
                await KillOneAndRestartAsync(cluster, log, leader, $"leader of {Topic}-{round % Partitions}");

                var controller = await cluster.ActiveControllerAsync();
                await KillOneAndRestartAsync(cluster, log, controller > 0 ? controller : 1 + round, $"active controller");

                var first = await cluster.WaitForLeaderAsync(Topic, (round + 1) % Partitions, Deadline);
                var second = first % 3 + 1;
                await KillTwoAndRestartAsync(cluster, log, first, second);
            }

            var chaosEnd = log.NowMs;
            await FreshetCluster.WaitUntilAsync(() => log.AcknowledgedSince(chaosEnd + 1000), Deadline, "writes go on after the last restart");
            await stopProducing.CancelAsync();
            await producing;

            await WaitForFullIsrAsync(cluster, Topic, Partitions, 3);
            await FreshetCluster.WaitUntilAsync(
                () =>
                {
                    for (var p = 0; p < Partitions; p++)
                    {
                        var last = log.HighestAcknowledgedOffset(p);
                        if (last >= 0 && !log.HasRead(p, last))
                            return false;
                    }
                    return true;
                },
                Deadline,
                "the consumer reaches the last acknowledged record of every partition");
            await stopConsuming.CancelAsync();
            await consuming;

            output.WriteLine(
                $"acknowledged {log.AcknowledgedCount}, read {log.ReadCount}, failed deliveries: {log.Failures}, "
                + $"longest time without a successful produce: {log.LongestGapMs(chaosStart, chaosEnd):0} ms");

            Assert.Equal(0, log.ReadConflicts);
            for (var p = 0; p < Partitions; p++)
                AssertEveryAcknowledgedRecordReadOnceInOrder(log, p);

            await cluster.StopAllAsync();
            for (var p = 0; p < Partitions; p++)
            {
                var replicas = new Dictionary<int, List<ReplicaLogs.StoredBatch>>();
                for (var node = 1; node <= cluster.Size; node++)
                {
                    replicas[node] = ReplicaLogs.Read(Path.Combine(cluster.NodeDataDirectory(node), $"{Topic}-{p}"));
                    Assert.True(
                        replicas[node].Count > 0 && replicas[node][^1].LastOffset >= log.HighestAcknowledgedOffset(p),
                        $"node {node} holds {Topic}-{p} up to the last acknowledged offset");
                }
                Assert.Empty(ReplicaLogs.Disagreements(replicas));
            }
        }
        finally
        {
            await stopProducing.CancelAsync();
            await stopConsuming.CancelAsync();
            await Task.WhenAll(producing, consuming).WaitAsync(TimeSpan.FromSeconds(150)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static void AssertEveryAcknowledgedRecordReadOnceInOrder(DeliveryLog log, int partition)
    {
        var read = log.ReadRecords(partition);
        var readSequences = new HashSet<long>(read.Values);
        foreach (var (offset, sequence) in log.AcknowledgedRecords(partition))
        {
            if (offset < 0)
            {
                // librdkafka acknowledges some retried batches without an offset (Offset.Unset): the record must then
                // have been read somewhere, which the order check below places exactly once.
                Assert.True(readSequences.Contains(sequence), $"acknowledged record {partition}:{sequence} (offset not reported) was never read");
                continue;
            }
            Assert.True(read.TryGetValue(offset, out var found), $"acknowledged record {partition}:{sequence} at offset {offset} was never read");
            Assert.Equal(sequence, found);
        }

        // Idempotence: the log holds each sent record at most once, in the order it was sent.
        var previous = -1L;
        foreach (var (offset, sequence) in read)
        {
            Assert.True(sequence > previous, $"{Topic}-{partition} offset {offset} holds sequence {sequence} after {previous}");
            previous = sequence;
        }
    }

    private async Task KillOneAndRestartAsync(FreshetCluster cluster, DeliveryLog log, int node, string role)
    {
        var killedAt = log.NowMs;
        await cluster.KillAsync(node);
        output.WriteLine($"{killedAt / 1000:0.0} s: killed node {node} ({role})");
        await FreshetCluster.WaitUntilAsync(() => log.AcknowledgedSince(killedAt), Deadline, $"writes resume while node {node} is down");
        output.WriteLine($"  writes resumed {log.NowMs - killedAt:0} ms after the kill (at most; polled)");
        await cluster.RestartAsync(node);
        await cluster.WaitForBrokersAsync(Deadline);
        await WaitForFullIsrAsync(cluster, Topic, Partitions, 3);
    }

    private async Task KillTwoAndRestartAsync(FreshetCluster cluster, DeliveryLog log, int first, int second)
    {
        await Task.WhenAll(cluster.KillAsync(first), cluster.KillAsync(second));
        output.WriteLine($"{log.NowMs / 1000:0.0} s: killed nodes {first} and {second} together");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var quorumBack = log.NowMs;
        await cluster.RestartAsync(first);
        await FreshetCluster.WaitUntilAsync(() => log.AcknowledgedSince(quorumBack), Deadline, $"writes resume once node {first} is back");
        output.WriteLine($"  writes resumed {log.NowMs - quorumBack:0} ms after node {first} was restarted");
        await cluster.RestartAsync(second);
        await cluster.WaitForBrokersAsync(Deadline);
        await WaitForFullIsrAsync(cluster, Topic, Partitions, 3);
    }

    private static async Task Produce(FreshetCluster cluster, DeliveryLog log, CancellationToken stop)
    {
        using var producer = new ProducerBuilder<Null, string>(ReliableProducer(cluster)).Build();
        var sequences = new long[Partitions];
        using var inFlight = new SemaphoreSlim(300);
        while (!stop.IsCancellationRequested)
        {
            for (var p = 0; p < Partitions; p++)
            {
                await inFlight.WaitAsync(CancellationToken.None);
                var partition = p;
                var sequence = sequences[p]++;
                producer.Produce(
                    new TopicPartition(Topic, partition),
                    new Message<Null, string> { Value = DeliveryLog.Value(partition, sequence) },
                    report =>
                    {
                        if (report.Error.IsError)
                            log.Failed(report.Error.Code.ToString());
                        else
                            log.Acknowledged(partition, report.Offset.Value, sequence);
                        inFlight.Release();
                    });
            }
            await Task.Delay(10, CancellationToken.None);
        }
        producer.Flush(TimeSpan.FromSeconds(130));
    }

    private static void Consume(FreshetCluster cluster, DeliveryLog log, CancellationToken stop)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(Consumer(cluster)).Build();
        var assignment = new List<TopicPartitionOffset>();
        for (var p = 0; p < Partitions; p++)
            assignment.Add(new TopicPartitionOffset(Topic, p, Offset.Beginning));
        consumer.Assign(assignment);
        while (!stop.IsCancellationRequested)
        {
            ConsumeResult<Ignore, string>? result;
            try
            {
                result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            }
            catch (ConsumeException)
            {
                // A partition between leaders; the consumer retries on its own.
                continue;
            }
            if (result is null || result.IsPartitionEOF)
                continue;
            log.Read(result.Partition.Value, result.Offset.Value, DeliveryLog.SequenceOf(result.Message.Value));
        }
        consumer.Close();
    }
}
