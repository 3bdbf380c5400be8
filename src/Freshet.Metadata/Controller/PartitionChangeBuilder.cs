using System.Collections.Immutable;
using Freshet.Metadata.Image;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Controller;

/// <summary>
/// Turns a wanted ISR (and optionally a wish for the preferred leader) into the PartitionChangeRecord
/// that gets a partition there, electing a new leader only when the current one cannot stay, as
/// Kafka's PartitionChangeBuilder does. Returns null when nothing would change, so callers never
/// write records that only bump epochs.
/// </summary>
internal static class PartitionChangeBuilder
{
    public static PartitionChangeRecord? Build(
        KafkaUuid topicId,
        PartitionImage partition,
        ImmutableArray<int> targetIsr,
        Func<int, bool> isEligible,
        bool uncleanAllowed,
        bool preferPreferredLeader = false)
    {
        var leader = partition.Leader;
        var isr = targetIsr;
        var preferred = partition.Replicas.IsEmpty ? PartitionImage.NoLeader : partition.Replicas[0];
        if (preferPreferredLeader && preferred != PartitionImage.NoLeader && isr.Contains(preferred) && isEligible(preferred))
        {
            leader = preferred;
        }
        else if (leader == PartitionImage.NoLeader || !isr.Contains(leader) || !isEligible(leader))
        {
            var outcome = LeaderElection.Elect(partition.Replicas, isr, isEligible, uncleanAllowed);
            leader = outcome.Leader;
            isr = outcome.Isr;
        }

        var isrChanged = !isr.SequenceEqual(partition.Isr);
        var leaderChanged = leader != partition.Leader;
        if (!isrChanged && !leaderChanged)
            return null;
        return new PartitionChangeRecord
        {
            TopicId = topicId,
            PartitionId = partition.PartitionId,
            Isr = isrChanged ? [.. isr] : null,
            Leader = leaderChanged ? leader : PartitionImage.LeaderUnchanged,
        };
    }

    /// <summary>The ISR without <paramref name="brokerId"/>, unless it is the last member: an ISR is never emptied.</summary>
    public static ImmutableArray<int> IsrWithout(ImmutableArray<int> isr, int brokerId) =>
        isr.Length > 1 && isr.Contains(brokerId) ? isr.Remove(brokerId) : isr;
}
