using Confluent.Kafka;

namespace Freshet.Perf.Load;

/// <summary>Deals a topic's partitions out among consumers round-robin: consumer i takes i, i+n, i+2n...</summary>
internal static class PartitionDeal
{
    public static List<TopicPartitionOffset> For(string topic, int consumer, int consumers, int partitions, Func<int, Offset> startAt)
    {
        var assigned = new List<TopicPartitionOffset>();
        for (var p = consumer; p < partitions; p += consumers)
            assigned.Add(new TopicPartitionOffset(topic, p, startAt(p)));
        return assigned;
    }
}
