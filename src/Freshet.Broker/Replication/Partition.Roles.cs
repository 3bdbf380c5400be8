using Freshet.Metadata.Image;

namespace Freshet.Broker.Replication;

internal sealed partial class Partition
{
    /// <summary>
    /// Leads under <paramref name="state"/>. A new leader epoch starts at the log end offset (recorded in the epoch
    /// cache, so followers that fetched past it in an older epoch find their divergence) and forgets what it knew
    /// of the followers; the ones in the ISR get a full lag window to fetch. Called under the gate.
    /// </summary>
    private void ApplyLeader(PartitionImage state)
    {
        var newEpoch = !_isLeader || state.LeaderEpoch != LeaderEpoch;
        var now = NowMs();
        Volatile.Write(ref _replicas, [.. state.Replicas]);
        Volatile.Write(ref _isr, [.. state.Isr]);
        _pendingIsr = null;
        LeaderId = LocalBrokerId;
        PartitionEpoch = state.PartitionEpoch;
        if (newEpoch)
        {
            LeaderEpoch = state.LeaderEpoch;
            LeaderEpochStartOffset = Log.LogEndOffset;
            Log.AssignEpochStartOffset(LeaderEpoch, LeaderEpochStartOffset);
            _followers.Clear();
        }
        foreach (var replica in state.Replicas)
        {
            if (replica != LocalBrokerId && !_followers.ContainsKey(replica))
            {
                var follower = new FollowerState(replica);
                follower.Reset(state.Isr.Contains(replica), now);
                _followers.Add(replica, follower);
            }
        }
        foreach (var replica in _followers.Keys)
        {
            if (!state.Replicas.Contains(replica))
            {
                _followers.Remove(replica);
            }
        }
        Volatile.Write(ref _isLeader, true);
        TryAdvanceHighWatermark();
    }

    /// <summary>Follows <paramref name="state"/>'s leader (or waits for one when it has none). Called under the gate.</summary>
    private void ApplyFollower(PartitionImage state)
    {
        Volatile.Write(ref _isLeader, false);
        Volatile.Write(ref _replicas, [.. state.Replicas]);
        Volatile.Write(ref _isr, [.. state.Isr]);
        _pendingIsr = null;
        _followers.Clear();
        LeaderId = state.Leader;
        LeaderEpoch = state.LeaderEpoch;
        PartitionEpoch = state.PartitionEpoch;
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
