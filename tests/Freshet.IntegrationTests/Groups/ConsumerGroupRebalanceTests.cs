using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Groups.GroupTestSupport;

namespace Freshet.IntegrationTests.Groups;

/// <summary>
/// Subscribing consumers share a 12-partition topic, with each assignor librdkafka offers:
/// disjoint assignments covering every partition; a fourth member joins and the group
/// rebalances; a member that crashes (a kcat process killed with SIGKILL, so no LeaveGroup
/// is sent and its heartbeats stop) loses its partitions after its session timeout.
/// </summary>
/// <remarks>
/// The crashed member is a separate process rather than a Confluent consumer disposed without
/// Close: librdkafka's destroy without close never returns when it lands while the consumer
/// waits for the application's incremental assign of a cooperative rebalance (its main
/// thread spins), which hung this test.
/// </remarks>
public sealed class ConsumerGroupRebalanceTests
{
    private const int Partitions = 12;
    private const int SessionTimeoutMs = 6000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static TheoryData<PartitionAssignmentStrategy> Strategies => new()
    {
        PartitionAssignmentStrategy.Range,
        PartitionAssignmentStrategy.RoundRobin,
        PartitionAssignmentStrategy.CooperativeSticky,
    };

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task Members_share_every_partition_and_rebalance_on_join_and_on_session_expiry(PartitionAssignmentStrategy strategy)
    {
        await using var scope = await BrokerScope.StartAsync(BrokerSettings);
        var topic = $"rebalance-{strategy}".ToLowerInvariant();
        var group = $"group-{strategy}".ToLowerInvariant();
        await CreateTopicAsync(scope.BootstrapServers, topic, Partitions);

        var consumers = new List<IConsumer<Ignore, string>>();
        Process? crashing = null;
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var consumer = Consumer(scope.BootstrapServers, group, strategy, sessionTimeoutMs: SessionTimeoutMs);
                consumer.Subscribe(topic);
                consumers.Add(consumer);
            }
            PollUntil(consumers, a => DisjointAndComplete(a, Partitions), Deadline, "three members to share 12 partitions");

            crashing = StartKcatMember(scope.BootstrapServers, group, topic, strategy);
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = scope.BootstrapServers }).Build();
            await PollUntilGroupAsync(admin, consumers, group, members => members.Count == 4 && DisjointAndComplete(members, Partitions), "four members to share 12 partitions");

            crashing.Kill();
            await crashing.WaitForExitAsync();
            PollUntil(consumers, a => DisjointAndComplete(a, Partitions), Deadline, "the survivors to take over the crashed member's partitions");
        }
        finally
        {
            if (crashing is { HasExited: false })
            {
                crashing.Kill();
            }
            crashing?.Dispose();
            foreach (var consumer in consumers)
            {
                consumer.Close();
                consumer.Dispose();
            }
        }
    }

    /// <summary>A balanced kcat consumer of the group: a member in a process of its own, so it can crash.</summary>
    private static Process StartKcatMember(string bootstrap, string group, string topic, PartitionAssignmentStrategy strategy)
    {
        var start = new ProcessStartInfo("kcat")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-b", bootstrap, "-G", group, "-q", "-o", "beginning",
            "-X", $"partition.assignment.strategy={AssignorName(strategy)}",
            "-X", $"session.timeout.ms={SessionTimeoutMs}",
            "-X", "heartbeat.interval.ms=500",
            topic,
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("kcat did not start.");
        // Drain its output so a full pipe never blocks it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string AssignorName(PartitionAssignmentStrategy strategy) => strategy switch
    {
        PartitionAssignmentStrategy.Range => "range",
        PartitionAssignmentStrategy.RoundRobin => "roundrobin",
        PartitionAssignmentStrategy.CooperativeSticky => "cooperative-sticky",
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, null),
    };

    /// <summary>
    /// Polls the in-process consumers (they take part in the rebalance only while polled) until
    /// the coordinator's view of the group, which includes the kcat member, satisfies <paramref name="settled"/>.
    /// </summary>
    private static async Task PollUntilGroupAsync(IAdminClient admin, IReadOnlyList<IConsumer<Ignore, string>> consumers, string group, Func<IReadOnlyList<List<TopicPartition>>, bool> settled, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        var seen = "";
        while (DateTime.UtcNow < until)
        {
            foreach (var consumer in consumers)
            {
                consumer.Consume(TimeSpan.FromMilliseconds(50));
            }
            var description = (await admin.DescribeConsumerGroupsAsync([group])).ConsumerGroupDescriptions[0];
            var members = description.Members.Select(m => m.Assignment.TopicPartitions.ToList()).ToList();
            if (description.State == ConsumerGroupState.Stable && settled(members))
            {
                return;
            }
            seen = $"{description.State}: " + string.Join(" | ", members.Select(m => string.Join(",", m.Select(tp => tp.Partition.Value))));
        }
        Assert.Fail($"Timed out waiting for {what}; the coordinator saw {seen}");
    }
}
