using Freshet.Broker.Topics;
using Freshet.Metadata.Image;
using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Broker.Tests.Cluster;

public sealed class TopicCatalogTests
{
    [Fact]
    public void The_catalog_follows_each_image_with_topics_partitions_and_overrides()
    {
        var orders = KafkaUuid.NewRandom();
        var delta = new MetadataDelta(MetadataImage.Empty);
        delta.Replay(MetadataRecord.Of(new TopicRecord { Name = "orders", TopicId = orders }));
        for (var p = 0; p < 3; p++)
        {
            delta.Replay(MetadataRecord.Of(new PartitionRecord { TopicId = orders, PartitionId = p, Replicas = [1, 2], Isr = [1, 2], Leader = 1, LeaderEpoch = 0, PartitionEpoch = 0 }));
        }
        delta.Replay(MetadataRecord.Of(new ConfigRecord { ResourceType = ConfigResource.TopicType, ResourceName = "orders", Name = "retention.ms", Value = "1000" }));
        var first = delta.Apply(3);
        var catalog = new TopicCatalog();

        catalog.Apply(first);

        Assert.True(catalog.TryGet("orders", out var topic));
        Assert.Equal(3, topic.PartitionCount);
        Assert.Equal("1000", topic.ConfigOverrides["retention.ms"]);
        Assert.True(catalog.TryGet(orders, out var byId));
        Assert.Same(topic, byId);
        Assert.Same(first, catalog.Image);

        var removal = new MetadataDelta(first);
        removal.Replay(MetadataRecord.Of(new RemoveTopicRecord { TopicId = orders }));
        catalog.Apply(removal.Apply(4));

        Assert.False(catalog.TryGet("orders", out _));
        Assert.Equal(0, catalog.Count);
    }

    [Fact]
    public void An_unchanged_topic_keeps_its_definition_across_images()
    {
        var id = KafkaUuid.NewRandom();
        var delta = new MetadataDelta(MetadataImage.Empty);
        delta.Replay(MetadataRecord.Of(new TopicRecord { Name = "a", TopicId = id }));
        delta.Replay(MetadataRecord.Of(new PartitionRecord { TopicId = id, PartitionId = 0, Replicas = [1], Isr = [1], Leader = 1, LeaderEpoch = 0, PartitionEpoch = 0 }));
        var image = delta.Apply(1);
        var catalog = new TopicCatalog();
        catalog.Apply(image);
        catalog.TryGet("a", out var before);

        var change = new MetadataDelta(image);
        change.Replay(MetadataRecord.Of(new ConfigRecord { ResourceType = ConfigResource.TopicType, ResourceName = "other", Name = "retention.ms", Value = "5" }));
        catalog.Apply(change.Apply(2));

        catalog.TryGet("a", out var after);
        Assert.Same(before, after);
    }
}
