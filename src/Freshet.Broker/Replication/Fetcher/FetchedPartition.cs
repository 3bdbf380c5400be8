namespace Freshet.Broker.Replication.Fetcher;

/// <summary>A partition a fetcher replicates, in the leader epoch it was handed over in; paused after a partition-level error.</summary>
internal sealed class FetchedPartition(Partition partition, int leaderEpoch)
{
    // The first retry after the leader refused a fetch it will soon accept; each further one waits twice as long,
    // up to replica.fetch.backoff.ms.
    private const long FirstEpochRetryMs = 10;

    private int _epochRetries;

    public Partition Partition { get; } = partition;

    public int LeaderEpoch { get; } = leaderEpoch;

    /// <summary>Not fetched before this time (Unix ms): the leader refused it, and a new leadership state replaces this entry.</summary>
    public long PausedUntilMs { get; set; }

    /// <summary>
    /// The leader has not yet applied the leadership this follower fetches in (UNKNOWN_LEADER_EPOCH, or
    /// NOT_LEADER_OR_FOLLOWER while it still follows in the previous epoch). It will within
    /// milliseconds, as both follow the same metadata log, so the fetch is retried soon and then less and less often;
    /// a full replica.fetch.backoff.ms here would hold every acks=all write that long after each leader change.
    /// </summary>
    public void PauseForLeaderToCatchUp(long nowMs, long maxBackoffMs)
    {
        var shift = Math.Min(_epochRetries++, 16);
        PausedUntilMs = nowMs + Math.Min(FirstEpochRetryMs << shift, maxBackoffMs);
    }

    /// <summary>The leader answered in this leadership: later epoch refusals start over from the shortest retry.</summary>
    public void Fetched() => _epochRetries = 0;
}
