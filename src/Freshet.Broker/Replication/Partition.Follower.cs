using Freshet.Storage;

namespace Freshet.Broker.Replication;

internal sealed partial class Partition
{
    /// <summary>
    /// Appends batches fetched from the leader of <paramref name="leaderEpoch"/>, offsets and epochs as the leader
    /// assigned them. Null when the partition no longer follows that leadership (the fetch is stale then).
    /// </summary>
    /// <exception cref="UnexpectedAppendOffsetException">The batches do not start at this log's end offset.</exception>
    public LogAppendInfo? AppendAsFollower(Span<byte> batches, int leaderEpoch)
    {
        LogAppendInfo info;
        lock (_gate)
        {
            if (!FollowsInEpoch(leaderEpoch))
            {
                return null;
            }
            info = Log.AppendAsFollower(batches);
        }
        SignalAppend();
        return info;
    }

    /// <summary>
    /// Truncates the log while following the leader of <paramref name="leaderEpoch"/>. An offset at or past the log
    /// end removes no record but still drops epochs starting at the end: an epoch this broker assigned as a leader
    /// that wrote nothing in it, which the new leader does not have and would report as diverging at every fetch.
    /// True when records were removed; false when none were or that leadership is over.
    /// </summary>
    public bool TruncateAsFollower(long offset, int leaderEpoch, bool fully)
    {
        lock (_gate)
        {
            if (!FollowsInEpoch(leaderEpoch))
            {
                return false;
            }
            if (fully)
            {
                Log.TruncateFullyAndStartAt(offset);
                return true;
            }
            return Log.TruncateTo(offset);
        }
    }

    /// <summary>A follower's high watermark is the leader's, capped at what this log holds.</summary>
    public void UpdateFollowerHighWatermark(long leaderHighWatermark)
    {
        var highWatermark = Math.Min(leaderHighWatermark, Log.LogEndOffset);
        if (highWatermark > Log.HighWatermark)
        {
            Log.HighWatermark = highWatermark;
            SignalHighWatermark();
        }
    }

    /// <summary>Still a follower of a live leader in <paramref name="leaderEpoch"/>. Under the gate.</summary>
    private bool FollowsInEpoch(int leaderEpoch) => !_isLeader && LeaderId >= 0 && LeaderEpoch == leaderEpoch;
}
