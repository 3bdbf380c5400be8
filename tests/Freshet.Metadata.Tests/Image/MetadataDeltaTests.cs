using Freshet.Metadata.Image;
using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Tests.Image;

public class MetadataDeltaTests
{
    private static readonly KafkaUuid Orders = KafkaUuid.NewRandom();

    [Fact]
    public void Records_build_brokers_topics_partitions_configs_and_producer_ids()
    {
        var image = Apply(MetadataImage.Empty, 4, ClusterRecords());

        Assert.Equal(4, image.Offset);
        Assert.Equal([1, 2, 3], image.Brokers.Keys.Order());
        Assert.False(image.Brokers[2].Fenced);
        Assert.Equal("rack-2", image.Brokers[2].Rack);
        Assert.Equal(9092 + 2, image.Brokers[2].Endpoints.Single().Port);
        var topic = Assert.IsType<TopicImage>(image.TopicByName("orders"));
        Assert.Equal(Orders, topic.Id);
        Assert.Equal(2, topic.Partitions.Count);
        var p1 = image.Partition("orders", 1)!;
        Assert.Equal([2, 3, 1], p1.Replicas.ToArray());
        Assert.Equal([2, 3, 1], p1.Isr.ToArray());
        Assert.Equal(2, p1.Leader);
        Assert.Equal("1000", image.Configs[new ConfigResource(ConfigResource.TopicType, "orders")]["retention.ms"]);
        Assert.Equal(5000, image.NextProducerId);
    }

    [Fact]
    public void Leader_change_bumps_leader_and_partition_epochs_while_isr_change_bumps_only_partition_epoch()
    {
        var image = Apply(MetadataImage.Empty, 0, ClusterRecords());

        var isrOnly = Apply(image, 1, [MetadataRecord.Of(new PartitionChangeRecord { TopicId = Orders, PartitionId = 0, Isr = [1, 2] })]);
        var newLeader = Apply(isrOnly, 2, [MetadataRecord.Of(new PartitionChangeRecord { TopicId = Orders, PartitionId = 0, Leader = 2, Isr = [2] })]);

        var before = image.Partition("orders", 0)!;
        var afterIsr = isrOnly.Partition("orders", 0)!;
        var afterLeader = newLeader.Partition("orders", 0)!;
        Assert.Equal((1, 0, 0), (before.Leader, before.LeaderEpoch, before.PartitionEpoch));
        Assert.Equal((1, 0, 1), (afterIsr.Leader, afterIsr.LeaderEpoch, afterIsr.PartitionEpoch));
        Assert.Equal([1, 2], afterIsr.Isr.ToArray());
        Assert.Equal((2, 1, 2), (afterLeader.Leader, afterLeader.LeaderEpoch, afterLeader.PartitionEpoch));
        Assert.Equal([2], afterLeader.Isr.ToArray());
        Assert.Equal([1, 2, 3], afterLeader.Replicas.ToArray());
    }

    [Fact]
    public void Naming_the_same_leader_again_starts_a_new_leader_epoch()
    {
        var image = Apply(MetadataImage.Empty, 0, ClusterRecords());

        var bumped = Apply(image, 1, [MetadataRecord.Of(new PartitionChangeRecord { TopicId = Orders, PartitionId = 0, Leader = 1 })]);

        var p = bumped.Partition("orders", 0)!;
        Assert.Equal((1, 1, 1), (p.Leader, p.LeaderEpoch, p.PartitionEpoch));
    }

    [Fact]
    public void Applying_a_delta_leaves_the_base_image_unchanged()
    {
        var image = Apply(MetadataImage.Empty, 0, ClusterRecords());

        _ = Apply(image, 1,
        [
            MetadataRecord.Of(new FenceBrokerRecord { Id = 1, Epoch = 10 }),
            MetadataRecord.Of(new RemoveTopicRecord { TopicId = Orders }),
        ]);

        Assert.False(image.Brokers[1].Fenced);
        Assert.NotNull(image.TopicByName("orders"));
        Assert.Equal(0, image.Offset);
    }

    [Fact]
    public void Fencing_unfencing_and_unregistering_check_the_broker_epoch()
    {
        var image = Apply(MetadataImage.Empty, 0, ClusterRecords());

        var fenced = Apply(image, 1,
        [
            MetadataRecord.Of(new FenceBrokerRecord { Id = 1, Epoch = 10 }),
            MetadataRecord.Of(new FenceBrokerRecord { Id = 2, Epoch = 999 }),
        ]);
        var unfenced = Apply(fenced, 2, [MetadataRecord.Of(new UnfenceBrokerRecord { Id = 1, Epoch = 10 })]);
        var unregistered = Apply(unfenced, 3,
        [
            MetadataRecord.Of(new UnregisterBrokerRecord { BrokerId = 3, BrokerEpoch = 30 }),
            MetadataRecord.Of(new UnregisterBrokerRecord { BrokerId = 2, BrokerEpoch = 1 }),
        ]);

        Assert.True(fenced.Brokers[1].Fenced);
        Assert.False(fenced.Brokers[2].Fenced);
        Assert.False(unfenced.Brokers[1].Fenced);
        Assert.Equal([1, 2], unregistered.Brokers.Keys.Order());
    }

    [Fact]
    public void Removing_a_topic_drops_its_partitions_name_and_configs()
    {
        var image = Apply(MetadataImage.Empty, 0, ClusterRecords());

        var removed = Apply(image, 1, [MetadataRecord.Of(new RemoveTopicRecord { TopicId = Orders })]);

        Assert.Null(removed.TopicByName("orders"));
        Assert.Empty(removed.TopicsById);
        Assert.Empty(removed.Configs);
    }

    [Fact]
    public void A_config_record_with_a_null_value_deletes_the_key()
    {
        var image = Apply(MetadataImage.Empty, 0, ClusterRecords());

        var deleted = Apply(image, 1, [MetadataRecord.Of(new ConfigRecord { ResourceType = 2, ResourceName = "orders", Name = "retention.ms", Value = null })]);

        Assert.Empty(deleted.Configs);
    }

    [Fact]
    public void Records_about_unknown_topics_or_brokers_are_ignored()
    {
        var unknown = KafkaUuid.NewRandom();

        var image = Apply(MetadataImage.Empty, 0,
        [
            MetadataRecord.Of(new PartitionRecord { TopicId = unknown, PartitionId = 0, Replicas = [1], Isr = [1], Leader = 1 }),
            MetadataRecord.Of(new PartitionChangeRecord { TopicId = unknown, PartitionId = 0, Leader = 2 }),
            MetadataRecord.Of(new FenceBrokerRecord { Id = 9, Epoch = 1 }),
        ]);

        Assert.Empty(image.TopicsById);
        Assert.Empty(image.Brokers);
    }

    [Fact]
    public void Producer_id_blocks_only_move_forward()
    {
        var image = Apply(MetadataImage.Empty, 0, ClusterRecords());

        var next = Apply(image, 1, [MetadataRecord.Of(new ProducerIdsRecord { BrokerId = 1, BrokerEpoch = 10, ProducerIdsEnd = 10 })]);

        Assert.Equal(5000, next.NextProducerId);
    }

    [Fact]
    public void A_registration_change_marks_controlled_shutdown_and_fences_or_unfences_for_the_current_epoch_only()
    {
        var image = Apply(MetadataImage.Empty, 0, ClusterRecords());

        var changed = Apply(image, 1,
        [
            MetadataRecord.Of(new BrokerRegistrationChangeRecord { BrokerId = 1, BrokerEpoch = 10, InControlledShutdown = 1 }),
            MetadataRecord.Of(new BrokerRegistrationChangeRecord { BrokerId = 2, BrokerEpoch = 20, Fenced = 1 }),
            MetadataRecord.Of(new BrokerRegistrationChangeRecord { BrokerId = 3, BrokerEpoch = 30, Fenced = -1 }),
            MetadataRecord.Of(new BrokerRegistrationChangeRecord { BrokerId = 1, BrokerEpoch = 999, Fenced = 1 }),
        ]);
        var rebuilt = Apply(MetadataImage.Empty, 1, MetadataBatch.Decode(MetadataBatch.Encode(ImageRecords.From(changed))));

        Assert.True(changed.Brokers[1].InControlledShutdown);
        Assert.False(changed.Brokers[1].Fenced);
        Assert.True(changed.Brokers[2].Fenced);
        Assert.False(changed.Brokers[2].InControlledShutdown);
        Assert.False(changed.Brokers[3].Fenced);
        // A snapshot carries the mark in the broker's registration.
        Assert.True(rebuilt.Brokers[1].InControlledShutdown);
    }

    [Fact]
    public void An_image_written_out_as_records_rebuilds_the_same_image()
    {
        var image = Apply(MetadataImage.Empty, 0, ClusterRecords());
        image = Apply(image, 1, [MetadataRecord.Of(new PartitionChangeRecord { TopicId = Orders, PartitionId = 0, Leader = 3, Isr = [3] })]);

        var rebuilt = Apply(MetadataImage.Empty, 1, MetadataBatch.Decode(MetadataBatch.Encode(ImageRecords.From(image))));

        ImageAssert.Equivalent(image, rebuilt);
    }

    internal static MetadataImage Apply(MetadataImage image, long offset, IEnumerable<MetadataRecord> records)
    {
        var delta = new MetadataDelta(image);
        foreach (var record in records)
            delta.Replay(record);
        return delta.Apply(offset);
    }

    internal static List<MetadataRecord> ClusterRecords()
    {
        var records = new List<MetadataRecord>();
        for (var id = 1; id <= 3; id++)
        {
            var broker = new RegisterBrokerRecord { BrokerId = id, BrokerEpoch = id * 10, IncarnationId = KafkaUuid.NewRandom(), Rack = $"rack-{id}", Fenced = id == 3 };
            broker.EndPoints.Add(new RegisterBrokerRecord.BrokerEndpoint { Name = "PLAINTEXT", Host = "127.0.0.1", Port = (ushort)(9092 + id) });
            records.Add(MetadataRecord.Of(broker));
        }
        records.Add(MetadataRecord.Of(new UnfenceBrokerRecord { Id = 2, Epoch = 20 }));
        records.Add(MetadataRecord.Of(new TopicRecord { Name = "orders", TopicId = Orders }));
        records.Add(MetadataRecord.Of(new PartitionRecord { TopicId = Orders, PartitionId = 0, Replicas = [1, 2, 3], Isr = [1, 2, 3], Leader = 1, LeaderEpoch = 0, PartitionEpoch = 0 }));
        records.Add(MetadataRecord.Of(new PartitionRecord { TopicId = Orders, PartitionId = 1, Replicas = [2, 3, 1], Isr = [2, 3, 1], Leader = 2, LeaderEpoch = 0, PartitionEpoch = 0 }));
        records.Add(MetadataRecord.Of(new ConfigRecord { ResourceType = ConfigResource.TopicType, ResourceName = "orders", Name = "retention.ms", Value = "1000" }));
        records.Add(MetadataRecord.Of(new ProducerIdsRecord { BrokerId = 1, BrokerEpoch = 10, ProducerIdsEnd = 5000 }));
        return records;
    }
}
