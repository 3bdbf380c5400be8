using System.Collections.Immutable;
using Freshet.Metadata.Image;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Controller;

/// <summary>The replica lists a partition is to have: during a reassignment, target plus removing, with adding and removing named.</summary>
internal readonly record struct ReplicaTarget(ImmutableArray<int> Replicas, ImmutableArray<int> Adding, ImmutableArray<int> Removing)
{
    public static ReplicaTarget Of(PartitionImage partition) => new(partition.Replicas, partition.AddingReplicas, partition.RemovingReplicas);
}

/// <summary>
/// Turns a wanted ISR (and optionally a wish for the preferred leader, or new replica lists) into the
/// PartitionChangeRecord that gets a partition there, as Kafka's PartitionChangeBuilder does: a
/// reassignment completes as soon as every adding replica is in the ISR, and a new leader is elected
/// only when the current one cannot stay. Returns null when nothing would change, so callers never
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
        bool preferPreferredLeader = false,
        ReplicaTarget? target = null)
    {
        var (replicas, adding, removing) = target ?? ReplicaTarget.Of(partition);
        var isr = targetIsr;
        if (!adding.IsEmpty || !removing.IsEmpty)
            CompleteReassignmentIfReady(ref replicas, ref adding, ref removing, ref isr);

        var leader = partition.Leader;
        var preferred = replicas.IsEmpty ? PartitionImage.NoLeader : replicas[0];
        if (preferPreferredLeader && preferred != PartitionImage.NoLeader && isr.Contains(preferred) && isEligible(preferred))
        {
            leader = preferred;
        }
        else if (leader == PartitionImage.NoLeader || !isr.Contains(leader) || !isEligible(leader))
        {
            var outcome = LeaderElection.Elect(replicas, isr, isEligible, uncleanAllowed);
            leader = outcome.Leader;
            isr = outcome.Isr;
        }

        var isrChanged = !isr.SequenceEqual(partition.Isr);
        var leaderChanged = leader != partition.Leader;
        var replicasChanged = !replicas.SequenceEqual(partition.Replicas);
        var addingChanged = !adding.SequenceEqual(partition.AddingReplicas);
        var removingChanged = !removing.SequenceEqual(partition.RemovingReplicas);
        if (!isrChanged && !leaderChanged && !replicasChanged && !addingChanged && !removingChanged)
            return null;
        return new PartitionChangeRecord
        {
            TopicId = topicId,
            PartitionId = partition.PartitionId,
            Isr = isrChanged ? [.. isr] : null,
            Leader = leaderChanged ? leader : PartitionImage.LeaderUnchanged,
            Replicas = replicasChanged ? [.. replicas] : null,
            AddingReplicas = addingChanged ? [.. adding] : null,
            RemovingReplicas = removingChanged ? [.. removing] : null,
        };
    }

    /// <summary>The ISR without <paramref name="brokerId"/>, unless it is the last member: an ISR is never emptied.</summary>
    public static ImmutableArray<int> IsrWithout(ImmutableArray<int> isr, int brokerId) =>
        isr.Length > 1 && isr.Contains(brokerId) ? isr.Remove(brokerId) : isr;

    /// <summary>
    /// Once every adding replica is in sync the removing ones leave the replicas and the ISR, unless
    /// that would empty the ISR.
    /// </summary>
    private static void CompleteReassignmentIfReady(
        ref ImmutableArray<int> replicas, ref ImmutableArray<int> adding, ref ImmutableArray<int> removing, ref ImmutableArray<int> isr)
    {
        foreach (var replica in adding)
        {
            if (!isr.Contains(replica))
                return;
        }
        var remainingIsr = isr.RemoveRange(removing);
        if (remainingIsr.IsEmpty)
            return;
        isr = remainingIsr;
        replicas = replicas.RemoveRange(removing);
        adding = [];
        removing = [];
    }
}
