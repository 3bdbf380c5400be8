namespace Freshet.Broker.Replication.Selection;

/// <summary>
/// One replica a consumer could read a partition from, as the leader sees it: the broker's rack, how far its log
/// reaches and how long ago it was last caught up with the leader (0 for the leader itself).
/// </summary>
internal readonly record struct ReplicaView(int BrokerId, string? Rack, long LogEndOffset, long TimeSinceLastCaughtUpMs)
{
    /// <summary>
    /// Which of two replicas is the better read replica: the longer log, then the more recently caught up, then the
    /// higher broker id (Kafka's order, so both pick the same replica from the same states).
    /// </summary>
    public static int Compare(in ReplicaView x, in ReplicaView y)
    {
        var byEnd = x.LogEndOffset.CompareTo(y.LogEndOffset);
        if (byEnd != 0)
        {
            return byEnd;
        }
        var byCatchUp = y.TimeSinceLastCaughtUpMs.CompareTo(x.TimeSinceLastCaughtUpMs);
        return byCatchUp != 0 ? byCatchUp : x.BrokerId.CompareTo(y.BrokerId);
    }
}
