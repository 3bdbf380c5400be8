namespace Freshet.Broker.Replication.Fetcher;

/// <summary>A partition a fetcher replicates, in the leader epoch it was handed over in; paused after a partition-level error.</summary>
internal sealed class FetchedPartition(Partition partition, int leaderEpoch)
{
    public Partition Partition { get; } = partition;

    public int LeaderEpoch { get; } = leaderEpoch;

    /// <summary>Not fetched before this time (Unix ms): the leader refused it, and a new leadership state replaces this entry.</summary>
    public long PausedUntilMs { get; set; }
}
