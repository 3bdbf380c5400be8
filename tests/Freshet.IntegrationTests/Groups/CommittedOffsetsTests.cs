using Confluent.Kafka;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Groups.GroupTestSupport;

namespace Freshet.IntegrationTests.Groups;

/// <summary>
/// Consume part of a topic, commit (synchronously, or by auto-commit on close), consume some
/// more without committing, restart the broker: a new member of the group resumes exactly at
/// the committed offsets, so nothing is lost and only the uncommitted records come again.
/// </summary>
public sealed class CommittedOffsetsTests
{
    private const int Partitions = 3;
    private const int Records = 90;
    private const int ConsumedBeforeCommit = 45;
    private const int ConsumedAfterCommit = 15;

    [Theory]
    [InlineData("manual-sync")]
    [InlineData("auto")]
    public async Task A_restarted_broker_resumes_the_group_at_its_committed_offsets(string mode)
    {
        await using var scope = await BrokerScope.StartAsync(BrokerSettings);
        var topic = $"resume-{mode}";
        var group = $"resume-group-{mode}";
        await CreateTopicAsync(scope.BootstrapServers, topic, Partitions);
        await ProduceAsync(scope.BootstrapServers, topic, Partitions, Records);

        var committedValues = new HashSet<string>();
        var uncommittedValues = new HashSet<string>();
        using (var consumer = Build(scope.BootstrapServers, group, autoCommit: mode == "auto"))
        {
            consumer.Subscribe(topic);
            ConsumeInto(consumer, committedValues, ConsumedBeforeCommit);
            if (mode == "auto")
            {
                // Closing commits what was consumed; there is no uncommitted tail.
                consumer.Close();
            }
            else
            {
                consumer.Commit();
                ConsumeInto(consumer, uncommittedValues, ConsumedAfterCommit);
                consumer.Close();
            }
        }

        await scope.RestartAsync();

        var resumed = new HashSet<string>();
        using (var consumer = Build(scope.BootstrapServers, group, autoCommit: false))
        {
            consumer.Subscribe(topic);
            ConsumeInto(consumer, resumed, Records - committedValues.Count);
            var extra = consumer.Consume(TimeSpan.FromSeconds(1));
            Assert.Null(extra);
            consumer.Close();
        }

        Assert.Empty(resumed.Intersect(committedValues));
        Assert.Equal(Records, committedValues.Count + resumed.Count);
        Assert.Subset(resumed, uncommittedValues);
    }

    private static IConsumer<Ignore, string> Build(string bootstrap, string group, bool autoCommit) =>
        new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = autoCommit,
            AutoCommitIntervalMs = 100,
            SessionTimeoutMs = 10000,
        }).Build();

    private static void ConsumeInto(IConsumer<Ignore, string> consumer, HashSet<string> values, int count)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        var taken = 0;
        while (taken < count && DateTime.UtcNow < until)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                Assert.True(values.Add(result.Message.Value), $"value {result.Message.Value} delivered twice");
                taken++;
            }
        }
        Assert.Equal(count, taken);
    }
}
