using System.Globalization;
using Confluent.Kafka;
using Freshet.IntegrationTests.Groups;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Transactions.TransactionTestSupport;

namespace Freshet.IntegrationTests.Transactions;

/// <summary>
/// Exactly-once consume-transform-produce with Confluent.Kafka: 100k input records copied by a transactional
/// processor that aborts a fifth of its transactions and is SIGKILLed twice in the middle of its work.
/// </summary>
public sealed class ExactlyOnceProcessorTests
{
    private const int Records = 100_000;
    private const int Partitions = 4;
    private const int PerTransaction = 2_500;

    [Fact]
    public async Task A_killed_and_restarted_processor_with_random_aborts_outputs_each_input_exactly_once()
    {
        await using var scope = await BrokerScope.StartAsync();
        var bootstrap = scope.BootstrapServers;
        await GroupTestSupport.CreateTopicAsync(bootstrap, "eos-in", Partitions);
        await GroupTestSupport.CreateTopicAsync(bootstrap, "eos-out", Partitions);
        await GroupTestSupport.ProduceAsync(bootstrap, "eos-in", Partitions, Records);

        var abortedRecords = 0;
        var kills = 0;
        var runs = new List<string>();
        for (var run = 0; ; run++)
        {
            using var processor = ProcessorProcess.Start(
                bootstrap, "eos-in", Partitions.ToString(CultureInfo.InvariantCulture), "eos-out", "eos-group", "eos-processor",
                PerTransaction.ToString(CultureInfo.InvariantCulture), "20", run.ToString(CultureInfo.InvariantCulture));
            if (run < 2)
            {
                // Let it commit a few transactions, then kill it at a moment inside the next one.
                Assert.True(await processor.WaitUntilAsync(p => p.Committed >= 3, TimeSpan.FromSeconds(60)), $"no progress in run {run}: {processor.Output}");
                await Task.Delay(Random.Shared.Next(5, 60));
                if (!processor.HasExited)
                {
                    await processor.KillAsync();
                    kills++;
                    abortedRecords += processor.AbortedRecords;
                    runs.Add(processor.Output);
                    continue;
                }
            }
            Assert.Equal(0, await processor.WaitForExitAsync(TimeSpan.FromSeconds(90)));
            abortedRecords += processor.AbortedRecords;
            runs.Add(processor.Output);
            break;
        }

        Assert.Equal(2, kills);
        var committed = ReadAll(bootstrap, "eos-out", Partitions, IsolationLevel.ReadCommitted);
        var counts = committed.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Records, committed.Count);
        Assert.Equal(Records, counts.Count);
        Assert.All(Enumerable.Range(0, Records), i => Assert.Equal(1, counts.GetValueOrDefault(Value(i))));

        var uncommitted = ReadAll(bootstrap, "eos-out", Partitions, IsolationLevel.ReadUncommitted);
        Assert.True(abortedRecords > 0, "no transaction was aborted: " + string.Join("\n--\n", runs));
        Assert.True(uncommitted.Count >= Records + abortedRecords, $"read_uncommitted saw {uncommitted.Count}, expected at least {Records} + {abortedRecords} aborted");
        Assert.Equal(counts.Keys.Order(), uncommitted.Distinct().Order());
    }
}
