using Confluent.Kafka;
using Freshet.IntegrationTests.Groups;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Transactions.TransactionTestSupport;

namespace Freshet.IntegrationTests.Transactions;

/// <summary>A transaction left open past transaction.timeout.ms is aborted by the coordinator.</summary>
public sealed class TransactionTimeoutTests
{
    [Fact]
    public async Task A_transaction_past_its_timeout_is_aborted_and_never_reaches_read_committed_consumers()
    {
        await using var scope = await BrokerScope.StartAsync(new Dictionary<string, string>
        {
            ["transaction.abort.timed.out.transaction.cleanup.interval.ms"] = "200",
        });
        var bootstrap = scope.BootstrapServers;
        await GroupTestSupport.CreateTopicAsync(bootstrap, "timeout", 1);

        // The records go out together, so the transaction is open well within its timeout when they are acknowledged
        // even on a loaded machine; awaited one by one they could outlive it and be fenced by the abort under test.
        using var producer = TransactionalProducer(bootstrap, "slow-id", transactionTimeoutMs: 8_000);
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        producer.BeginTransaction();
        var sends = new List<Task>();
        for (var i = 0; i < 20; i++)
        {
            sends.Add(producer.ProduceAsync("timeout", new Message<string, string> { Key = "k", Value = "late-" + i }));
        }
        await Task.WhenAll(sends);

        // The coordinator aborts it: the last stable offset moves past the records and their ABORT marker.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (EndOffset(bootstrap, "timeout", 0, IsolationLevel.ReadCommitted) < 21)
        {
            Assert.True(DateTime.UtcNow < deadline, "the timed-out transaction was not aborted within 30 s");
            await Task.Delay(100);
        }

        Assert.Empty(ReadAll(bootstrap, "timeout", 1, IsolationLevel.ReadCommitted));
        Assert.Equal(20, ReadAll(bootstrap, "timeout", 1, IsolationLevel.ReadUncommitted).Count);
        Assert.ThrowsAny<KafkaException>(() => producer.CommitTransaction(TimeSpan.FromSeconds(30)));
    }
}
