using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Groups;
using Freshet.IntegrationTests.Infrastructure;
using static Freshet.IntegrationTests.Cluster.ClusterTestSupport;

namespace Freshet.IntegrationTests.Cluster;

/// <summary>
/// An acknowledged offset commit is on every in-sync replica of __consumer_offsets: killing the group's coordinator
/// right after the acknowledgement does not lose it, and the group resumes where it committed. Deleting a group or its
/// offsets is acknowledged the same way, so the deletion survives such a kill too.
/// </summary>
public sealed class CommitDurabilityTests
{
    private const string Topic = "commits";
    private const int OffsetsPartitions = 3;
    private const int Messages = 40;

    [Fact]
    public async Task A_group_resumes_from_its_last_acknowledged_commit_after_the_coordinator_is_killed()
    {
        await using var cluster = await StartWithReplicatedTopicAsync();
        using (var producer = new ProducerBuilder<Null, string>(ReliableProducer(cluster)).Build())
        {
            for (var i = 0; i < Messages; i++)
                producer.Produce(Topic, new Message<Null, string> { Value = "m" + i });
            producer.Flush(Deadline);
        }

        var config = Consumer(cluster);
        var partition = new TopicPartition(Topic, 0);
        var lastAcknowledged = CommitOneByOne(config, partition, Messages / 2);
        Assert.Equal(Messages / 2, lastAcknowledged);
        var offsetsPartition = GroupPartitioner.PartitionFor(config.GroupId, OffsetsPartitions);
        var coordinator = await cluster.WaitForLeaderAsync("__consumer_offsets", offsetsPartition, Deadline);

        // Killed right after the last acknowledgement: only what every in-sync replica has survives.
        await cluster.KillAsync(coordinator);
        await cluster.WaitForLeaderAsync("__consumer_offsets", offsetsPartition, Deadline, notNode: coordinator);

        config.BootstrapServers = cluster.RunningBootstrapServers();
        using var resumed = new ConsumerBuilder<Ignore, string>(config).Build();
        var committed = CommittedOnceAnswered(resumed, partition);
        Assert.Equal(lastAcknowledged, committed);
        resumed.Assign(new TopicPartitionOffset(partition, committed));
        var next = ConsumeOne(resumed);
        Assert.Equal(lastAcknowledged, next.Offset.Value);
        Assert.Equal("m" + lastAcknowledged, next.Message.Value);
    }

    [Fact]
    public async Task Acknowledged_group_and_offset_deletions_survive_the_coordinator_being_killed()
    {
        await using var cluster = await StartWithReplicatedTopicAsync();

        // Two groups on one __consumer_offsets partition, so one coordinator holds both.
        var deletedGroup = Consumer(cluster).GroupId;
        var offsetsPartition = GroupPartitioner.PartitionFor(deletedGroup, OffsetsPartitions);
        var prunedGroup = Enumerable.Range(0, 1000).Select(i => $"{deletedGroup}-pruned-{i}")
            .First(g => GroupPartitioner.PartitionFor(g, OffsetsPartitions) == offsetsPartition);
        var partition = new TopicPartition(Topic, 0);
        foreach (var group in new[] { deletedGroup, prunedGroup })
        {
            var config = Consumer(cluster);
            config.GroupId = group;
            using var committer = new ConsumerBuilder<Ignore, string>(config).Build();
            committer.Commit([new TopicPartitionOffset(partition, 7)]);
            Assert.Equal(7, CommittedOnceAnswered(committer, partition));
        }

        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            await admin.DeleteGroupsAsync([deletedGroup]);
            await admin.DeleteConsumerGroupOffsetsAsync(prunedGroup, [partition]);
        }

        // Killed right after the acknowledgements: the new coordinator reads both deletions from the replicas.
        var coordinator = await cluster.WaitForLeaderAsync("__consumer_offsets", offsetsPartition, Deadline);
        await cluster.KillAsync(coordinator);
        await cluster.WaitForLeaderAsync("__consumer_offsets", offsetsPartition, Deadline, notNode: coordinator);
        foreach (var group in new[] { deletedGroup, prunedGroup })
        {
            var config = Consumer(cluster);
            config.GroupId = group;
            config.BootstrapServers = cluster.RunningBootstrapServers();
            using var reader = new ConsumerBuilder<Ignore, string>(config).Build();
            Assert.Equal(Offset.Unset.Value, CommittedOnceAnswered(reader, partition, answered: _ => true));
        }
    }

    /// <summary>Consumes and commits each record synchronously; returns the offset of the last acknowledged commit.</summary>
    private static long CommitOneByOne(ConsumerConfig config, TopicPartition partition, int count)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(config).Build();
        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        var acknowledged = -1L;
        for (var i = 0; i < count; i++)
        {
            var record = ConsumeOne(consumer);
            CommitUntilAcknowledged(consumer, new TopicPartitionOffset(partition, record.Offset + 1));
            acknowledged = record.Offset + 1;
        }
        return acknowledged;
    }

    /// <summary>
    /// Commit returns once the coordinator has answered without an error. A loaded machine can move the coordinator
    /// before any kill (a missed heartbeat fences its broker), and a commit that fails then is sent again, as an
    /// application would.
    /// </summary>
    private static void CommitUntilAcknowledged(IConsumer<Ignore, string> consumer, TopicPartitionOffset offset)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                consumer.Commit([offset]);
                return;
            }
            catch (KafkaException e) when (!e.Error.IsFatal && DateTime.UtcNow < until)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static ConsumeResult<Ignore, string> ConsumeOne(IConsumer<Ignore, string> consumer)
    {
        var until = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < until)
        {
            if (consumer.Consume(TimeSpan.FromSeconds(1)) is { IsPartitionEOF: false } record)
                return record;
        }
        throw new TimeoutException($"No record within {Deadline.TotalSeconds:0} s.");
    }

    /// <summary>The group's committed offset, asking again while the coordinator moves to a surviving node.</summary>
    private static long CommittedOnceAnswered(IConsumer<Ignore, string> consumer, TopicPartition partition, Func<Offset, bool>? answered = null)
    {
        answered ??= offset => offset != Offset.Unset;
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                var offset = Assert.Single(consumer.Committed([partition], TimeSpan.FromSeconds(10))).Offset;
                if (answered(offset) || DateTime.UtcNow > until)
                    return offset.Value;
            }
            catch (KafkaException) when (DateTime.UtcNow < until)
            {
            }
            Thread.Sleep(200);
        }
    }

    /// <summary>Three nodes, the offsets topic at replication factor 3, and the topic fully in sync on all three.</summary>
    private static async Task<FreshetCluster> StartWithReplicatedTopicAsync()
    {
        var cluster = await FreshetCluster.StartAsync(
            3, [.. FreshetCluster.FastFailover, "offsets.topic.replication.factor=3", $"offsets.topic.num.partitions={OffsetsPartitions}"]);
        try
        {
            await cluster.WaitForBrokersAsync(Deadline);
            await CreateTopicAsync(cluster, new TopicSpecification { Name = Topic, NumPartitions = 1, ReplicationFactor = 3 });
            await WaitForFullIsrAsync(cluster, Topic, 1, 3);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }
}
