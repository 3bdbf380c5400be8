using Freshet.Metadata.Image;

namespace Freshet.Metadata.Controller;

/// <summary>
/// Kafka's rule for automatic preferred-leader balancing: a broker is imbalanced when the share of the partitions
/// that prefer it (it is their first replica) but are led by another broker exceeds
/// <c>leader.imbalance.per.broker.percentage</c>; only an imbalanced broker's partitions are moved back, so a
/// cluster with a few stray leaders is left alone rather than churned.
/// </summary>
internal static class LeaderImbalance
{
    /// <summary>The partitions to hand back to their preferred leader, grouped by nothing: the order is the image's.</summary>
    public static List<TopicPartitionName> PartitionsToRebalance(MetadataImage image, int percentage)
    {
        var preferring = new Dictionary<int, int>();
        var misled = new Dictionary<int, List<TopicPartitionName>>();
        foreach (var topic in image.TopicsById.Values)
        {
            foreach (var partition in topic.Partitions.Values)
            {
                if (partition.Replicas.IsEmpty)
                    continue;
                var preferred = partition.Replicas[0];
                preferring[preferred] = preferring.GetValueOrDefault(preferred) + 1;
                if (partition.Leader == preferred)
                    continue;
                if (!misled.TryGetValue(preferred, out var list))
                    misled[preferred] = list = [];
                list.Add(new TopicPartitionName(topic.Name, partition.PartitionId));
            }
        }

        var result = new List<TopicPartitionName>();
        foreach (var (broker, partitions) in misled)
        {
            // ratio > percentage / 100, in integers: misled × 100 > preferring × percentage.
            if ((long)partitions.Count * 100 > (long)preferring[broker] * percentage)
                result.AddRange(partitions);
        }
        return result;
    }
}
