namespace Freshet.Broker.Groups;

/// <summary>
/// Which __consumer_offsets partition holds a group: Kafka's
/// <c>Utils.abs(groupId.hashCode) % offsets.topic.num.partitions</c>, with Java's String.hashCode
/// over UTF-16 code units, so a group lands on the same partition as in Kafka.
/// </summary>
internal static class GroupPartitioner
{
    public static int PartitionFor(string groupId, int partitionCount) => Abs(JavaHashCode(groupId)) % partitionCount;

    public static int JavaHashCode(string value)
    {
        var hash = 0;
        foreach (var c in value)
        {
            hash = unchecked((31 * hash) + c);
        }
        return hash;
    }

    // Kafka's Utils.abs: Integer.MIN_VALUE has no positive counterpart and maps to 0.
    private static int Abs(int value) => value == int.MinValue ? 0 : Math.Abs(value);
}
