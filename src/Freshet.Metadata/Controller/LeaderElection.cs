using System.Collections.Immutable;
using Freshet.Metadata.Image;

namespace Freshet.Metadata.Controller;

/// <summary>The outcome of electing a partition leader: the leader (or none) and the ISR that goes with it.</summary>
internal readonly record struct ElectionOutcome(int Leader, ImmutableArray<int> Isr, bool Unclean);

/// <summary>
/// Kafka's leader election: the first replica, in assignment order, that is in the ISR and eligible
/// (registered, unfenced, not shutting down). Only when unclean election is allowed may an eligible
/// replica outside the ISR lead, and then the ISR shrinks to it alone, since nothing else is known to
/// hold its log. Without an eligible leader the partition is leaderless and keeps its ISR, so the
/// last in-sync replicas are remembered for when they come back.
/// </summary>
internal static class LeaderElection
{
    public static ElectionOutcome Elect(ImmutableArray<int> replicas, ImmutableArray<int> isr, Func<int, bool> isEligible, bool uncleanAllowed)
    {
        foreach (var replica in replicas)
        {
            if (isr.Contains(replica) && isEligible(replica))
                return new ElectionOutcome(replica, isr, Unclean: false);
        }
        if (uncleanAllowed)
        {
            foreach (var replica in replicas)
            {
                if (isEligible(replica))
                    return new ElectionOutcome(replica, [replica], Unclean: true);
            }
        }
        return new ElectionOutcome(PartitionImage.NoLeader, isr, Unclean: false);
    }
}
