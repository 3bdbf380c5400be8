using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Cluster.ClusterTestSupport;

namespace Freshet.IntegrationTests.Cluster;

/// <summary>A follower frozen with SIGSTOP drops out of the ISR, and catches up and rejoins when resumed.</summary>
public sealed class IsrTests
{
    private const string Topic = "frozen";

    [Fact]
    public async Task A_paused_follower_leaves_the_isr_and_rejoins_when_resumed()
    {
        await using var cluster = await FreshetCluster.StartAsync(3, [.. FreshetCluster.FastFailover, "min.insync.replicas=2"]);
        await cluster.WaitForBrokersAsync(Deadline);
        await CreateTopicAsync(cluster, new TopicSpecification { Name = Topic, NumPartitions = 1, ReplicationFactor = 3 });
        await WaitForFullIsrAsync(cluster, Topic, 1, 3);

        var leader = await cluster.WaitForLeaderAsync(Topic, 0, Deadline);
        var controller = await cluster.WaitForActiveControllerAsync(Deadline);
        // Freeze a follower that is not also the active controller, so the ISR change is the only thing to wait for.
        var follower = FollowerToFreeze(leader, controller);

        using var producer = new ProducerBuilder<Null, string>(ReliableProducer(cluster)).Build();
        await producer.ProduceAsync(Topic, new Message<Null, string> { Value = "before" });

        await cluster.PauseAsync(follower);
        try
        {
            // Writes keep flowing so the frozen follower falls behind as well as going silent.
            await FreshetCluster.WaitUntilAsync(
                () =>
                {
                    producer.Produce(Topic, new Message<Null, string> { Value = "while frozen" });
                    var isr = cluster.InSyncReplicas(Topic, 0);
                    return isr is not null && isr.Length == 2 && Array.IndexOf(isr, follower) < 0;
                },
                Deadline,
                $"node {follower} leaves the ISR of {Topic}-0 while frozen");

            // Two in-sync replicas still satisfy min.insync.replicas=2.
            var during = await producer.ProduceAsync(Topic, new Message<Null, string> { Value = "isr of two" });
            Assert.Equal(PersistenceStatus.Persisted, during.Status);
        }
        finally
        {
            await cluster.ResumeAsync(follower);
        }

        await FreshetCluster.WaitUntilAsync(
            () => cluster.InSyncReplicas(Topic, 0) is { } isr && Array.IndexOf(isr, follower) >= 0 && isr.Length == 3,
            Deadline,
            $"node {follower} rejoins the ISR of {Topic}-0 once resumed");
        var after = await producer.ProduceAsync(Topic, new Message<Null, string> { Value = "after" });
        Assert.Equal(PersistenceStatus.Persisted, after.Status);
    }

    private static int FollowerToFreeze(int leader, int controller)
    {
        var fallback = -1;
        for (var id = 1; id <= 3; id++)
        {
            if (id == leader)
                continue;
            if (id != controller)
                return id;
            fallback = id;
        }
        return fallback;
    }
}
