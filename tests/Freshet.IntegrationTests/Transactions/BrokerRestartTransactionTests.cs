using Confluent.Kafka;
using Freshet.IntegrationTests.Groups;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Transactions.TransactionTestSupport;

namespace Freshet.IntegrationTests.Transactions;

/// <summary>The coordinator's state, the partitions' open transactions and pending transactional offsets survive a broker restart.</summary>
public sealed class BrokerRestartTransactionTests
{
    [Fact]
    public async Task Transactions_open_across_a_broker_restart_commit_and_abort_cleanly()
    {
        await using var scope = await BrokerScope.StartAsync();
        var bootstrap = scope.BootstrapServers;
        await GroupTestSupport.CreateTopicAsync(bootstrap, "restart-txn", 2);

        using var committer = TransactionalProducer(bootstrap, "restart-commit");
        using var aborter = TransactionalProducer(bootstrap, "restart-abort");
        committer.InitTransactions(TimeSpan.FromSeconds(30));
        aborter.InitTransactions(TimeSpan.FromSeconds(30));
        committer.BeginTransaction();
        aborter.BeginTransaction();
        for (var i = 0; i < 50; i++)
        {
            committer.Produce("restart-txn", new Message<string, string> { Key = Value(i), Value = "kept-" + i });
            aborter.Produce("restart-txn", new Message<string, string> { Key = Value(i), Value = "dropped-" + i });
        }
        using var group = GroupMetadataConsumer(bootstrap, "restart-group");
        committer.SendOffsetsToTransaction([new TopicPartitionOffset("restart-txn", 0, 20)], group.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
        aborter.SendOffsetsToTransaction([new TopicPartitionOffset("restart-txn", 1, 99)], group.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
        committer.Flush(TimeSpan.FromSeconds(30));
        aborter.Flush(TimeSpan.FromSeconds(30));

        await scope.RestartAsync();

        committer.CommitTransaction(TimeSpan.FromSeconds(60));
        aborter.AbortTransaction(TimeSpan.FromSeconds(60));
        var visible = ReadAll(bootstrap, "restart-txn", 2, IsolationLevel.ReadCommitted);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => "kept-" + i).Order(), visible.Order());
        Assert.Equal([20L, Offset.Unset.Value], CommittedOffsets(group));

        // Reloaded from __consumer_offsets, the committed transaction's offsets stay and the aborted one's stay out.
        await scope.RestartAsync();
        using var reloaded = GroupMetadataConsumer(bootstrap, "restart-group");
        Assert.Equal([20L, Offset.Unset.Value], CommittedOffsets(reloaded));

        // And the same producers go on with new transactions after the restart.
        committer.BeginTransaction();
        committer.Produce("restart-txn", new Message<string, string> { Key = "after", Value = "after-restart" });
        committer.CommitTransaction(TimeSpan.FromSeconds(30));
        Assert.Contains("after-restart", ReadAll(bootstrap, "restart-txn", 2, IsolationLevel.ReadCommitted));
    }

    /// <summary>A consumer of the group that only lends its group metadata and reads the committed offsets (read_committed: require_stable).</summary>
    private static IConsumer<Ignore, Ignore> GroupMetadataConsumer(string bootstrap, string group) =>
        new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group, IsolationLevel = IsolationLevel.ReadCommitted }).Build();

    private static long[] CommittedOffsets(IConsumer<Ignore, Ignore> consumer) =>
        [.. consumer.Committed([new TopicPartition("restart-txn", 0), new TopicPartition("restart-txn", 1)], TimeSpan.FromSeconds(30)).OrderBy(o => o.Partition.Value).Select(o => o.Offset.Value)];
}
