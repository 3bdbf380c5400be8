using System.Globalization;
using Freshet.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Freshet.IntegrationTests.Cluster.ClusterTestSupport;

namespace Freshet.IntegrationTests.Cluster;

/// <summary>
/// Three nodes, each in its own network namespace behind a bridge, a topic with replication factor 3 and
/// min.insync.replicas 2, an idempotent acks=all producer and a consumer in the test's namespace. The leader of a
/// partition is cut off from the others (its link taken down): the majority elects a new leader and writes go on,
/// while a client inside the cut-off node's namespace, which can still reach it, gets none of its writes
/// acknowledged. Once the link is back the old leader drops what it wrote alone and rejoins the ISR.
/// </summary>
public sealed class NetworkPartitionTests(ITestOutputHelper output)
{
    private const string Topic = "cutoff";
    private const int Partitions = 3;

    // Sequences of the records written on the cut-off side: far above what the producer reaches, so a read of one shows.
    private const long MinoritySequenceBase = 900_000_000;

    [NetworkNamespaceFact]
    public async Task A_leader_cut_off_from_the_others_acknowledges_nothing_while_the_majority_writes_on()
    {
        using var network = await NetworkNamespaces.CreateAsync(3);
        await using var cluster = await FreshetCluster.StartAsync(
            3,
            new ClusterLayout { Network = network },
            ClusterTraffic.ClusterSettings);
        await using var traffic = await ClusterTraffic.StartAsync(cluster, Topic, Partitions);
        var log = traffic.Log;
        await FreshetCluster.WaitUntilAsync(() => log.AcknowledgedCount >= 100, Deadline, "the producer writes before the cut");
        var (partition, leader) = await LeaderBesidesTheActiveControllerAsync(cluster);
        var cutAt = log.NowMs;
        await network.CutAsync(leader);
        output.WriteLine($"{cutAt / 1000:0.0} s: cut node {leader} (leader of {Topic}-{partition}) off; node {await cluster.ActiveControllerAsync()} is the active controller");

        // The cut-off leader still believes it leads; a client on its side of the cut writes to it.
        var minority = Task.Run(() => ProduceOnCutOffSideAsync(network, leader, partition));

        int newLeader;
        double electedAt;
        try
        {
            newLeader = await cluster.WaitForLeaderAsync(Topic, partition, Deadline, notNode: leader);
            electedAt = log.NowMs;
            await FreshetCluster.WaitUntilAsync(
                () => Enumerable.Range(0, Partitions).All(p => log.AcknowledgedSince(p, electedAt)),
                Deadline,
                "every partition takes writes on the majority side");
        }
        catch (TimeoutException)
        {
            await ReportStateAsync(cluster, log);
            throw;
        }
        output.WriteLine($"  node {newLeader} leads {Topic}-{partition} {electedAt - cutAt:0} ms after the cut (at most; polled); every partition written again {log.NowMs - cutAt:0} ms after the cut (at most; polled)");

        var minorityResult = await minority;
        output.WriteLine($"  cut-off side: {minorityResult.StandardError.Trim().Split('\n')[^1]}");
        Assert.Contains("Delivery failed", minorityResult.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Message delivered", minorityResult.StandardError, StringComparison.Ordinal);

        var healedAt = log.NowMs;
        await network.HealAsync(leader);
        output.WriteLine($"{healedAt / 1000:0.0} s: link of node {leader} back");
        await cluster.WaitForBrokersAsync(Deadline);
        await traffic.FinishAsync(log.NowMs);

        output.WriteLine(
            $"acknowledged {log.AcknowledgedCount}, read {log.ReadCount}, failed deliveries: {log.Failures}, "
            + $"longest time without a successful produce: {log.LongestGapMs(cutAt, healedAt):0} ms");
        // The old leader appended the cut-off side's records alone; rejoining, it truncated them away.
        Assert.Contains($"{Topic}-{partition}: truncated from", cluster.Node(leader).Output, StringComparison.Ordinal);
        foreach (var sequence in log.ReadRecords(partition).Values)
            Assert.True(sequence < MinoritySequenceBase, $"a record written only on the cut-off side ({sequence}) was read");
        traffic.AssertEveryAcknowledgedRecordReadOnceInOrder();
        await traffic.AssertReplicasAgreeAsync();
    }

    /// <summary>What the majority side reports, and the last lines of every node's log, for a run that timed out.</summary>
    private async Task ReportStateAsync(FreshetCluster cluster, DeliveryLog log)
    {
        output.WriteLine($"  now {log.NowMs / 1000:0.0} s; active controller {await cluster.ActiveControllerAsync()}; failed deliveries: {log.Failures}");
        for (var p = 0; p < Partitions; p++)
            output.WriteLine($"  {Topic}-{p}: leader {cluster.NodeLeading(Topic, p)}, last acknowledged at {log.LastAcknowledgedMs(p) / 1000:0.0} s");
        for (var node = 1; node <= cluster.Size; node++)
        {
            var lines = cluster.Node(node).Output.Split('\n');
            output.WriteLine($"---- node {node}, last lines:\n{string.Join('\n', lines[Math.Max(0, lines.Length - 60)..])}");
        }
    }

    /// <summary>
    /// A partition whose leader is not the active controller, so that the cut tests the data path. Cutting the active
    /// controller off as well moves leaderships far more slowly today (tens of seconds, against about three here).
    /// </summary>
    private static async Task<(int Partition, int Leader)> LeaderBesidesTheActiveControllerAsync(FreshetCluster cluster)
    {
        var controller = await cluster.WaitForActiveControllerAsync(Deadline);
        var fallback = (0, -1);
        for (var p = 0; p < Partitions; p++)
        {
            var leader = await cluster.WaitForLeaderAsync(Topic, p, Deadline);
            if (leader != controller)
                return (p, leader);
            fallback = (p, leader);
        }
        return fallback;
    }

    /// <summary>
    /// kcat inside the cut-off node's namespace writes acks=all records to the partition through that node only; each
    /// delivery is reported on stderr (-v -v), and none may succeed: the node cannot reach min.insync.replicas.
    /// </summary>
    private static Task<ProcessResult> ProduceOnCutOffSideAsync(NetworkNamespaces network, int node, int partition)
    {
        var address = network.Address(node);
        var records = string.Join('\n', Enumerable.Range(0, 20).Select(i => DeliveryLog.Value(partition, MinoritySequenceBase + i))) + "\n";
        return network.RunInAsync(
            node,
            "kcat",
            [
                "-P", "-v", "-v", "-b", $"{address.Host}:{address.KafkaPort}", "-t", Topic, "-p", partition.ToString(CultureInfo.InvariantCulture),
                "-X", "acks=all", "-X", "request.timeout.ms=3000", "-X", "message.timeout.ms=" + 10_000.ToString(CultureInfo.InvariantCulture),
            ],
            TimeSpan.FromSeconds(60),
            records);
    }
}
