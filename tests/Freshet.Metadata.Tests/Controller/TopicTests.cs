using Freshet.Metadata.Controller;
using Freshet.Metadata.Image;
using Freshet.Protocol.Messages;

namespace Freshet.Metadata.Tests.Controller;

public class TopicTests
{
    [Fact]
    public async Task A_created_topic_has_balanced_replicas_led_by_the_first_with_every_replica_in_sync()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2, 3);

        var reply = await active.CreateTopicAsync(new CreateTopicSpec("orders", 6, 2, Configs: new Dictionary<string, string> { ["retention.ms"] = "1000" }));

        Assert.Equal(ErrorCode.None, reply.Error);
        Assert.False(reply.TopicId.IsZero);
        var topic = active.Image.TopicByName("orders")!;
        Assert.Equal(reply.TopicId, topic.Id);
        Assert.Equal(6, topic.Partitions.Count);
        for (var p = 0; p < 6; p++)
        {
            var partition = topic.Partitions[p];
            Assert.Equal(reply.Assignments[p].ToArray(), partition.Replicas.ToArray());
            Assert.Equal(partition.Replicas.ToArray(), partition.Isr.ToArray());
            Assert.Equal(partition.Replicas[0], partition.Leader);
            Assert.Equal(0, partition.LeaderEpoch);
            Assert.Equal(0, partition.PartitionEpoch);
        }
        var leaders = topic.Partitions.Values.GroupBy(p => p.Leader).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<int, int> { [1] = 2, [2] = 2, [3] = 2 }, leaders);
        Assert.Equal("1000", active.GetConfigs(new ConfigResource(ConfigResource.TopicType, "orders"))["retention.ms"]);
    }

    [Fact]
    public async Task Placement_uses_only_unfenced_brokers_and_separates_racks()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        foreach (var (id, rack) in new[] { (1, "a"), (2, "a"), (3, "b"), (4, "b") })
        {
            await cluster.RegisterAsync(id, rack);
            await cluster.HeartbeatAsync(id);
        }
        await cluster.RegisterAsync(5, "c");

        var reply = await active.CreateTopicAsync(new CreateTopicSpec("racked", 8, 2));

        Assert.Equal(ErrorCode.None, reply.Error);
        var racks = new Dictionary<int, string> { [1] = "a", [2] = "a", [3] = "b", [4] = "b" };
        Assert.All(reply.Assignments, replicas =>
        {
            Assert.DoesNotContain(5, replicas);
            Assert.NotEqual(racks[replicas[0]], racks[replicas[1]]);
        });
    }

    [Fact]
    public async Task Invalid_creations_get_kafkas_errors_and_write_nothing()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        await cluster.RegisterAsync(3);
        Assert.Equal(ErrorCode.None, (await active.CreateTopicAsync(new CreateTopicSpec("exists", 1, 1))).Error);
        var offset = active.Image.Offset;

        Assert.Equal(ErrorCode.TopicAlreadyExists, (await active.CreateTopicAsync(new CreateTopicSpec("exists", 1, 1))).Error);
        Assert.Equal(ErrorCode.InvalidReplicationFactor, (await active.CreateTopicAsync(new CreateTopicSpec("t", 1, 3))).Error);
        Assert.Equal(ErrorCode.InvalidReplicationFactor, (await active.CreateTopicAsync(new CreateTopicSpec("t", 1, 0))).Error);
        Assert.Equal(ErrorCode.InvalidPartitions, (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 1))).Error);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 9]]))).Error);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 1]]))).Error);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2], [2]]))).Error);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[3]]))).Error);
        var validated = await active.CreateTopicAsync(new CreateTopicSpec("t", 2, 2, ValidateOnly: true));
        Assert.Equal(ErrorCode.None, validated.Error);
        Assert.Equal(2, validated.Assignments.Count);

        Assert.Equal(offset, active.Image.Offset);
        Assert.Null(active.Image.TopicByName("t"));
    }

    [Fact]
    public async Task A_manual_assignment_leaves_fenced_replicas_out_of_the_isr()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        await cluster.RegisterAsync(3);

        var reply = await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[3, 2, 1]]));

        Assert.Equal(ErrorCode.None, reply.Error);
        var partition = active.Image.Partition("t", 0)!;
        Assert.Equal([3, 2, 1], partition.Replicas.ToArray());
        Assert.Equal([2, 1], partition.Isr.ToArray());
        Assert.Equal(2, partition.Leader);
    }

    [Fact]
    public async Task Partitions_are_added_with_the_topics_replication_factor_and_the_topic_can_be_deleted()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2, 3);
        var created = await active.CreateTopicAsync(new CreateTopicSpec("t", 2, 2));

        Assert.Equal(ErrorCode.None, (await active.CreatePartitionsAsync("t", 5)).Error);
        Assert.Equal(ErrorCode.None, (await active.CreatePartitionsAsync("t", 6, [[3, 1]])).Error);
        Assert.Equal(ErrorCode.InvalidPartitions, (await active.CreatePartitionsAsync("t", 6)).Error);
        Assert.Equal(ErrorCode.InvalidPartitions, (await active.CreatePartitionsAsync("t", 3)).Error);
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, (await active.CreatePartitionsAsync("t", 8, [[1, 2]])).Error);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await active.CreatePartitionsAsync("missing", 8)).Error);

        var topic = active.Image.TopicByName("t")!;
        Assert.Equal(6, topic.Partitions.Count);
        Assert.All(topic.Partitions.Values, p => Assert.Equal(2, p.Replicas.Length));
        Assert.Equal([3, 1], topic.Partitions[5].Replicas.ToArray());

        Assert.Equal(ErrorCode.None, (await active.DeleteTopicAsync("t")).Error);
        Assert.Null(active.Image.TopicByName("t"));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await active.DeleteTopicAsync("t")).Error);
        Assert.Equal(ErrorCode.UnknownTopicId, (await active.DeleteTopicAsync(created.TopicId)).Error);
    }

    [Fact]
    public async Task Config_changes_set_and_delete_keys_of_topics_and_brokers()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1);
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1);
        await active.CreateTopicAsync(new CreateTopicSpec("t", 1, 1, Configs: new Dictionary<string, string> { ["cleanup.policy"] = "compact" }));
        var topic = new ConfigResource(ConfigResource.TopicType, "t");
        var broker = new ConfigResource(ConfigResource.BrokerType, "1");

        Assert.Equal(ErrorCode.None, (await active.AlterConfigsAsync(topic, [new("retention.ms", "5"), new("cleanup.policy", null)])).Error);
        Assert.Equal(ErrorCode.None, (await active.AlterConfigsAsync(broker, [new("log.retention.ms", "7")])).Error);
        Assert.Equal(ErrorCode.None, (await active.AlterConfigsAsync(topic, [new("segment.ms", "9")], validateOnly: true)).Error);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await active.AlterConfigsAsync(new ConfigResource(ConfigResource.TopicType, "nope"), [new("a", "b")])).Error);

        Assert.Equal(new Dictionary<string, string> { ["retention.ms"] = "5" }, active.GetConfigs(topic));
        Assert.Equal("7", active.GetConfigs(broker)["log.retention.ms"]);
    }
}
