using Freshet.Protocol.Messages;

namespace Freshet.Broker.Replication;

/// <summary>The leader's side of a follower's fetch that goes beyond reading records.</summary>
internal static class ReplicaFetch
{
    /// <summary>
    /// Compares the follower's last fetched epoch with this leader's epoch cache (KIP-595): when the leader's
    /// <paramref name="lastFetchedEpoch"/> (or the largest epoch below it) ends before the follower's fetch offset,
    /// or the leader never had that epoch, the follower's tail diverges and it must truncate to the returned
    /// epoch's end offset first. Null when the logs agree (and for followers that send no epoch).
    /// </summary>
    public static FetchResponse.EpochEndOffset? Divergence(Partition partition, int lastFetchedEpoch, long fetchOffset)
    {
        if (lastFetchedEpoch < 0)
        {
            return null;
        }
        var (epoch, endOffset) = partition.Log.EndOffsetForEpoch(lastFetchedEpoch);
        if (epoch == lastFetchedEpoch && endOffset >= fetchOffset)
        {
            return null;
        }
        if (epoch < 0 || endOffset < 0)
        {
            // The leader has nothing of that epoch or earlier: the follower keeps nothing past the leader's log start.
            return new FetchResponse.EpochEndOffset { Epoch = -1, EndOffset = partition.Log.LogStartOffset };
        }
        return epoch < lastFetchedEpoch || endOffset < fetchOffset
            ? new FetchResponse.EpochEndOffset { Epoch = epoch, EndOffset = endOffset }
            : null;
    }
}
