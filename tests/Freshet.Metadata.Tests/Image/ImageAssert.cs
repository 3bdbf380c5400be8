using Freshet.Metadata.Image;

namespace Freshet.Metadata.Tests.Image;

/// <summary>Compares images by content (the immutable collections compare by reference).</summary>
internal static class ImageAssert
{
    public static void Equivalent(MetadataImage expected, MetadataImage actual)
    {
        Assert.Equal(expected.Offset, actual.Offset);
        Assert.Equal(expected.NextProducerId, actual.NextProducerId);
        Assert.Equal(expected.Brokers.Keys.Order(), actual.Brokers.Keys.Order());
        foreach (var (id, broker) in expected.Brokers)
        {
            var other = actual.Brokers[id];
            Assert.Equal((broker.Epoch, broker.IncarnationId, broker.Rack, broker.Fenced, broker.InControlledShutdown),
                (other.Epoch, other.IncarnationId, other.Rack, other.Fenced, other.InControlledShutdown));
            Assert.Equal(broker.Endpoints.ToArray(), other.Endpoints.ToArray());
        }
        Assert.Equal(expected.TopicIdsByName.OrderBy(kv => kv.Key), actual.TopicIdsByName.OrderBy(kv => kv.Key));
        foreach (var (id, topic) in expected.TopicsById)
        {
            var other = actual.TopicsById[id];
            Assert.Equal(topic.Name, other.Name);
            Assert.Equal(topic.Partitions.Keys.Order(), other.Partitions.Keys.Order());
            foreach (var (pid, p) in topic.Partitions)
            {
                var q = other.Partitions[pid];
                Assert.Equal(p.Replicas.ToArray(), q.Replicas.ToArray());
                Assert.Equal(p.Isr.ToArray(), q.Isr.ToArray());
                Assert.Equal(p.RemovingReplicas.ToArray(), q.RemovingReplicas.ToArray());
                Assert.Equal(p.AddingReplicas.ToArray(), q.AddingReplicas.ToArray());
                Assert.Equal((p.Leader, p.LeaderEpoch, p.PartitionEpoch), (q.Leader, q.LeaderEpoch, q.PartitionEpoch));
            }
        }
        Assert.Equal(expected.Configs.Keys.OrderBy(k => k.Name), actual.Configs.Keys.OrderBy(k => k.Name));
        foreach (var (resource, entries) in expected.Configs)
            Assert.Equal(entries.OrderBy(kv => kv.Key), actual.Configs[resource].OrderBy(kv => kv.Key));
    }
}
