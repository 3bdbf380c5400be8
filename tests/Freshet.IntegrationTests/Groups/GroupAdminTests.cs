using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Groups.GroupTestSupport;

namespace Freshet.IntegrationTests.Groups;

/// <summary>The AdminClient's group operations, and consumer lag from ListOffsets minus committed offsets.</summary>
public sealed class GroupAdminTests
{
    private const string Topic = "admin-topic";
    private const string Group = "admin-group";

    [Fact]
    public async Task Admin_lists_describes_alters_and_deletes_groups_and_their_offsets()
    {
        await using var scope = await BrokerScope.StartAsync(BrokerSettings);
        await CreateTopicAsync(scope.BootstrapServers, Topic, 2);
        await ProduceAsync(scope.BootstrapServers, Topic, 2, 10);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = scope.BootstrapServers }).Build();
        var p0 = new TopicPartition(Topic, 0);
        var p1 = new TopicPartition(Topic, 1);

        using (var consumer = Consumer(scope.BootstrapServers, Group, PartitionAssignmentStrategy.Range))
        {
            consumer.Subscribe(Topic);
            PollUntil([consumer], a => a[0].Count == 2, TimeSpan.FromSeconds(60), "the consumer to own both partitions");
            consumer.Commit([new TopicPartitionOffset(p0, 3), new TopicPartitionOffset(p1, 4)]);

            var listed = await admin.ListConsumerGroupsAsync();
            var listing = Assert.Single(listed.Valid, g => g.GroupId == Group);
            Assert.Equal(ConsumerGroupState.Stable, listing.State);
            Assert.True(listing.IsSimpleConsumerGroup is false);

            var described = await admin.DescribeConsumerGroupsAsync([Group]);
            var description = Assert.Single(described.ConsumerGroupDescriptions);
            Assert.Equal(ConsumerGroupState.Stable, description.State);
            Assert.Equal("range", description.PartitionAssignor);
            var member = Assert.Single(description.Members);
            Assert.Equal([p0, p1], member.Assignment.TopicPartitions.OrderBy(tp => tp.Partition.Value));

            var stableOnly = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = [ConsumerGroupState.Empty] });
            Assert.DoesNotContain(stableOnly.Valid, g => g.GroupId == Group);

            // Lag: the log end offset (ListOffsets latest) minus the committed offset, per partition.
            var committed = await CommittedAsync(admin);
            var ends = await admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = p0, OffsetSpec = OffsetSpec.Latest() }, new TopicPartitionOffsetSpec { TopicPartition = p1, OffsetSpec = OffsetSpec.Latest() }]);
            var lag = ends.ResultInfos.ToDictionary(r => r.TopicPartitionOffsetError.Partition.Value, r => r.TopicPartitionOffsetError.Offset.Value - committed[r.TopicPartitionOffsetError.Partition.Value]);
            Assert.Equal(5 - 3, lag[0]);
            Assert.Equal(5 - 4, lag[1]);

            // An active group's subscribed topic cannot lose its offsets, nor can the group be deleted.
            var refused = await Assert.ThrowsAsync<DeleteConsumerGroupOffsetsException>(() => admin.DeleteConsumerGroupOffsetsAsync(Group, [p0]));
            Assert.Contains(refused.Result.Partitions, p => p.Error.Code == ErrorCode.GroupSubscribedToTopic);
            await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync([Group]));
            consumer.Close();
        }

        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets(Group, [new TopicPartitionOffset(p0, 1), new TopicPartitionOffset(p1, 2)])]);
        var altered = await CommittedAsync(admin);
        Assert.Equal(1, altered[0]);
        Assert.Equal(2, altered[1]);

        await admin.DeleteConsumerGroupOffsetsAsync(Group, [p0]);
        var afterDelete = await CommittedAsync(admin);
        Assert.Equal(Offset.Unset.Value, afterDelete[0]);
        Assert.Equal(2, afterDelete[1]);

        var empty = await admin.DescribeConsumerGroupsAsync([Group]);
        Assert.Equal(ConsumerGroupState.Empty, Assert.Single(empty.ConsumerGroupDescriptions).State);

        await admin.DeleteGroupsAsync([Group]);
        var remaining = await admin.ListConsumerGroupsAsync();
        Assert.DoesNotContain(remaining.Valid, g => g.GroupId == Group);
        var gone = await CommittedAsync(admin);
        Assert.Equal(Offset.Unset.Value, gone[1]);

        // The deletion was stored as tombstones: a restarted broker does not bring the group back.
        await scope.RestartAsync();
        using var afterRestart = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = scope.BootstrapServers }).Build();
        Assert.DoesNotContain((await afterRestart.ListConsumerGroupsAsync()).Valid, g => g.GroupId == Group);
    }

    private static async Task<Dictionary<int, long>> CommittedAsync(IAdminClient admin)
    {
        var result = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(Group, [new TopicPartition(Topic, 0), new TopicPartition(Topic, 1)])]);
        return Assert.Single(result).Partitions.ToDictionary(p => p.Partition.Value, p => p.Offset.Value);
    }
}
