namespace Freshet.Broker.Replication;

/// <summary>
/// What a leader knows of one follower from its fetches. A follower is caught up when it fetches from the leader's
/// log end offset; it also counts as caught up at its previous fetch when it now fetches from the log end offset
/// the leader had then (Kafka's rule, so a follower fetching steadily behind a busy leader is not dropped).
/// </summary>
internal sealed class FollowerState(int brokerId)
{
    private long _leaderEndOffsetAtLastFetch = -1;
    private long _lastFetchTimeMs;

    public int BrokerId { get; } = brokerId;

    /// <summary>The follower's log end offset: the offset it fetched from last; -1 before its first fetch under this leader.</summary>
    public long LogEndOffset { get; private set; } = -1;

    public long LastCaughtUpTimeMs { get; private set; }

    public void OnFetch(long fetchOffset, long leaderEndOffset, long nowMs)
    {
        if (fetchOffset >= leaderEndOffset)
        {
            LastCaughtUpTimeMs = Math.Max(LastCaughtUpTimeMs, nowMs);
        }
        else if (fetchOffset >= _leaderEndOffsetAtLastFetch && _leaderEndOffsetAtLastFetch >= 0)
        {
            LastCaughtUpTimeMs = Math.Max(LastCaughtUpTimeMs, _lastFetchTimeMs);
        }
        LogEndOffset = fetchOffset;
        _leaderEndOffsetAtLastFetch = leaderEndOffset;
        _lastFetchTimeMs = nowMs;
    }

    /// <summary>A new leadership: the follower's offset is unknown until it fetches; an in-sync follower gets a full lag window.</summary>
    public void Reset(bool inSync, long nowMs)
    {
        LogEndOffset = -1;
        _leaderEndOffsetAtLastFetch = -1;
        _lastFetchTimeMs = 0;
        LastCaughtUpTimeMs = inSync ? nowMs : 0;
    }
}
