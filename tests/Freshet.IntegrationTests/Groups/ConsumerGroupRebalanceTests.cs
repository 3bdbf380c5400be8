using Confluent.Kafka;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Groups.GroupTestSupport;

namespace Freshet.IntegrationTests.Groups;

/// <summary>
/// Subscribing consumers share a 12-partition topic, with each assignor librdkafka offers:
/// disjoint assignments covering every partition; a fourth member joins and the group
/// rebalances; a member that vanishes without leaving (disposed without Close, so no
/// LeaveGroup is sent and its heartbeats stop) loses its partitions after its session timeout.
/// </summary>
public sealed class ConsumerGroupRebalanceTests
{
    private const int Partitions = 12;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static TheoryData<PartitionAssignmentStrategy> Strategies => new()
    {
        PartitionAssignmentStrategy.Range,
        PartitionAssignmentStrategy.RoundRobin,
        PartitionAssignmentStrategy.CooperativeSticky,
    };

    // Skipped: in 2 of 4 fresh-clone CI runs one case hung with librdkafka's main thread spinning (cause not found yet; see the issue 4 note).
    [Theory(Skip = "Hangs intermittently in CI (librdkafka main thread spins); under investigation")]
    [MemberData(nameof(Strategies))]
    public async Task Members_share_every_partition_and_rebalance_on_join_and_on_session_expiry(PartitionAssignmentStrategy strategy)
    {
        await using var scope = await BrokerScope.StartAsync(BrokerSettings);
        var topic = $"rebalance-{strategy}".ToLowerInvariant();
        var group = $"group-{strategy}".ToLowerInvariant();
        await CreateTopicAsync(scope.BootstrapServers, topic, Partitions);

        var consumers = new List<IConsumer<Ignore, string>>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var consumer = Consumer(scope.BootstrapServers, group, strategy, sessionTimeoutMs: 6000);
                consumer.Subscribe(topic);
                consumers.Add(consumer);
            }
            PollUntil(consumers, a => DisjointAndComplete(a, Partitions), Deadline, "three members to share 12 partitions");

            var fourth = Consumer(scope.BootstrapServers, group, strategy, sessionTimeoutMs: 6000);
            fourth.Subscribe(topic);
            consumers.Add(fourth);
            PollUntil(consumers, a => DisjointAndComplete(a, Partitions), Deadline, "four members to share 12 partitions");

            // Vanish without LeaveGroup: Dispose without Close sends nothing, so only the session timeout removes it.
            var killed = consumers[0];
            consumers.RemoveAt(0);
            killed.Dispose();
            PollUntil(consumers, a => DisjointAndComplete(a, Partitions), Deadline, "the survivors to take over the lost partitions");
        }
        finally
        {
            foreach (var consumer in consumers)
            {
                consumer.Close();
                consumer.Dispose();
            }
        }
    }
}
