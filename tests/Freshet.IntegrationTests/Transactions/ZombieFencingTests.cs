using Confluent.Kafka;
using Freshet.IntegrationTests.Groups;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Transactions.TransactionTestSupport;

namespace Freshet.IntegrationTests.Transactions;

/// <summary>A second producer with the same transactional id fences the first, whose writes never become visible.</summary>
public sealed class ZombieFencingTests
{
    [Fact]
    public async Task A_new_instance_fences_the_zombie_which_gets_a_fatal_error_and_whose_records_stay_invisible()
    {
        await using var scope = await BrokerScope.StartAsync();
        var bootstrap = scope.BootstrapServers;
        await GroupTestSupport.CreateTopicAsync(bootstrap, "zombie", 2);

        using var zombie = TransactionalProducer(bootstrap, "fenced-id");
        zombie.InitTransactions(TimeSpan.FromSeconds(30));
        zombie.BeginTransaction();
        for (var i = 0; i < 10; i++)
        {
            await zombie.ProduceAsync("zombie", new Message<string, string> { Key = "z", Value = "zombie-" + i });
        }

        using var successor = TransactionalProducer(bootstrap, "fenced-id");
        successor.InitTransactions(TimeSpan.FromSeconds(30));
        successor.BeginTransaction();
        for (var i = 0; i < 10; i++)
        {
            successor.Produce("zombie", new Message<string, string> { Key = "s", Value = "successor-" + i });
        }
        successor.CommitTransaction(TimeSpan.FromSeconds(30));

        // The zombie's later writes and its commit are refused; its error is fatal.
        var failure = Assert.ThrowsAny<KafkaException>(() =>
        {
            zombie.Produce("zombie", new Message<string, string> { Key = "z", Value = "zombie-late" });
            zombie.CommitTransaction(TimeSpan.FromSeconds(30));
        });
        Assert.True(failure.Error.IsFatal, $"expected a fatal error, got {failure.Error}");

        var visible = ReadAll(bootstrap, "zombie", 2, IsolationLevel.ReadCommitted);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "successor-" + i).Order(), visible.Order());
        var everything = ReadAll(bootstrap, "zombie", 2, IsolationLevel.ReadUncommitted);
        Assert.Contains("zombie-0", everything);
        Assert.DoesNotContain("zombie-late", everything);
    }
}
