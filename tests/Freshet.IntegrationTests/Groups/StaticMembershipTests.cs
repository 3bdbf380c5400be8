using Confluent.Kafka;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Groups.GroupTestSupport;

namespace Freshet.IntegrationTests.Groups;

/// <summary>
/// A static member (group.instance.id) that restarts within its session timeout gets its
/// partitions back without a rebalance: the other member never has partitions revoked.
/// </summary>
public sealed class StaticMembershipTests
{
    private const int Partitions = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_restarted_static_member_gets_its_partitions_back_without_a_rebalance()
    {
        await using var scope = await BrokerScope.StartAsync(BrokerSettings);
        const string topic = "static-topic";
        const string group = "static-group";
        await CreateTopicAsync(scope.BootstrapServers, topic, Partitions);

        var revocations = 0;
        var stayingConfig = new ConsumerConfig
        {
            BootstrapServers = scope.BootstrapServers,
            GroupId = group,
            GroupInstanceId = "staying",
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
            SessionTimeoutMs = 30000,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        };
        using var staying = new ConsumerBuilder<Ignore, string>(stayingConfig)
            .SetPartitionsRevokedHandler((_, _) => Interlocked.Increment(ref revocations))
            .Build();
        staying.Subscribe(topic);
        // The first member alone first, so it is the leader and the restarting member is a follower.
        PollUntil([staying], a => a[0].Count == Partitions, Deadline, "the first static member to own every partition");

        var restarting = Consumer(scope.BootstrapServers, group, PartitionAssignmentStrategy.Range, instanceId: "restarting", sessionTimeoutMs: 30000);
        restarting.Subscribe(topic);
        PollUntil([staying, restarting], a => DisjointAndComplete(a, Partitions), Deadline, "two static members to share the partitions");
        var before = restarting.Assignment.OrderBy(tp => tp.Partition.Value).ToList();
        var revocationsBefore = Volatile.Read(ref revocations);

        // A static member sends no LeaveGroup when it closes; its place waits for it until the session times out.
        restarting.Close();
        restarting.Dispose();
        using var restarted = Consumer(scope.BootstrapServers, group, PartitionAssignmentStrategy.Range, instanceId: "restarting", sessionTimeoutMs: 30000);
        restarted.Subscribe(topic);
        PollUntil([staying, restarted], a => DisjointAndComplete(a, Partitions), Deadline, "the restarted static member to get its partitions back");

        Assert.Equal(before, restarted.Assignment.OrderBy(tp => tp.Partition.Value).ToList());
        Assert.Equal(revocationsBefore, Volatile.Read(ref revocations));
        staying.Close();
        restarted.Close();
    }
}
