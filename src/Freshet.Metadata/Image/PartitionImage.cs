using System.Collections.Immutable;

namespace Freshet.Metadata.Image;

/// <summary>
/// One partition's registration. <see cref="LeaderEpoch"/> moves with every leader change;
/// <see cref="PartitionEpoch"/> with every change at all, as in Kafka.
/// </summary>
public sealed record PartitionImage(
    int PartitionId,
    ImmutableArray<int> Replicas,
    ImmutableArray<int> Isr,
    ImmutableArray<int> RemovingReplicas,
    ImmutableArray<int> AddingReplicas,
    int Leader,
    int LeaderEpoch,
    int PartitionEpoch)
{
    public const int NoLeader = -1;

    /// <summary>The value of PartitionChangeRecord.Leader meaning "unchanged".</summary>
    public const int LeaderUnchanged = -2;
}
