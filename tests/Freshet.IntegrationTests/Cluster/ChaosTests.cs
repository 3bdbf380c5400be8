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
        await using var cluster = await FreshetCluster.StartAsync(3, ClusterTraffic.ClusterSettings);
        await using var traffic = await ClusterTraffic.StartAsync(cluster, Topic, Partitions);
        var log = traffic.Log;
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
        await traffic.FinishAsync(chaosEnd);
        output.WriteLine(
            $"acknowledged {log.AcknowledgedCount}, read {log.ReadCount}, failed deliveries: {log.Failures}, "
            + $"longest time without a successful produce: {log.LongestGapMs(chaosStart, chaosEnd):0} ms");
        traffic.AssertEveryAcknowledgedRecordReadOnceInOrder();
        output.WriteLine($"records written again by the client under a bumped producer epoch: {traffic.ResentByTheClient}");
        await traffic.AssertReplicasAgreeAsync();
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
}
