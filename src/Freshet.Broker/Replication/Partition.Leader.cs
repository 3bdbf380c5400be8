using Freshet.Protocol.Messages;

namespace Freshet.Broker.Replication;

internal sealed partial class Partition
{
    // The ISR proposed to the controller and not answered yet; null when no change is in flight.
    private int[]? _pendingIsr;

    /// <summary>
    /// The ISR plus the replicas a change in flight adds: the high watermark waits for all of them, so it never
    /// moves past a replica the controller may be about to count as in sync (Kafka's maximal ISR).
    /// </summary>
    public IReadOnlyList<int> MaximalIsr
    {
        get
        {
            lock (_gate)
            {
                if (_pendingIsr is null)
                {
                    return _isr;
                }
                var union = new List<int>(_isr);
                foreach (var replica in _pendingIsr)
                {
                    if (!union.Contains(replica))
                    {
                        union.Add(replica);
                    }
                }
                return union;
            }
        }
    }

    /// <summary>True while an ISR change is at the controller.</summary>
    public bool IsrChangeInFlight
    {
        get
        {
            lock (_gate)
            {
                return _pendingIsr is not null;
            }
        }
    }

    /// <summary>
    /// A follower fetched from <paramref name="fetchOffset"/>: that is its log end offset now. It may move the high
    /// watermark and bring the follower back into the ISR. False when this broker does not lead the partition or
    /// does not know the follower as a replica.
    /// </summary>
    public bool OnFollowerFetch(int followerId, long fetchOffset)
    {
        bool moved;
        lock (_gate)
        {
            if (!_isLeader || !_followers.TryGetValue(followerId, out var follower))
            {
                return false;
            }
            follower.OnFetch(fetchOffset, Log.LogEndOffset, NowMs());
            MaybeExpandIsr(follower);
            moved = TryAdvanceHighWatermark();
        }
        if (moved)
        {
            SignalHighWatermark();
        }
        return true;
    }

    /// <summary>
    /// Asks the controller to drop the followers that have not caught up to this leader's log end offset within
    /// <paramref name="replicaLagTimeMaxMs"/> (replica.lag.time.max.ms). Nothing is sent while another change is in flight.
    /// </summary>
    public void MaybeShrinkIsr(long replicaLagTimeMaxMs)
    {
        lock (_gate)
        {
            if (!_isLeader || _alterPartition is null || _pendingIsr is not null)
            {
                return;
            }
            var now = NowMs();
            List<int>? kept = null;
            foreach (var replica in _isr)
            {
                var lagging = replica != LocalBrokerId
                    && (!_followers.TryGetValue(replica, out var follower) || now - follower.LastCaughtUpTimeMs > replicaLagTimeMaxMs);
                if (lagging && kept is null)
                {
                    kept = [];
                    foreach (var earlier in _isr)
                    {
                        if (earlier == replica)
                        {
                            break;
                        }
                        kept.Add(earlier);
                    }
                }
                else if (!lagging)
                {
                    kept?.Add(replica);
                }
            }
            if (kept is not null)
            {
                ProposeIsr([.. kept]);
            }
        }
    }

    /// <summary>
    /// Waits until the high watermark reaches <paramref name="requiredOffset"/> (acks=all): NOT_ENOUGH_REPLICAS_AFTER_APPEND
    /// when the ISR is below min.insync.replicas by then, NOT_LEADER_OR_FOLLOWER when this broker stops leading.
    /// </summary>
    /// <exception cref="OperationCanceledException">The produce request's timeout passed first.</exception>
    public async ValueTask<ErrorCode> WaitForHighWatermarkAsync(long requiredOffset, CancellationToken cancellationToken)
    {
        while (true)
        {
            var moved = NextHighWatermark;
            if (!IsLeader)
            {
                return ErrorCode.NotLeaderOrFollower;
            }
            if (Log.HighWatermark >= requiredOffset)
            {
                return InSyncReplicaCount < MinInSyncReplicas ? ErrorCode.NotEnoughReplicasAfterAppend : ErrorCode.None;
            }
            await moved.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A follower outside the ISR that has reached the high watermark and this epoch's start rejoins it. Under the gate.</summary>
    private void MaybeExpandIsr(FollowerState follower)
    {
        if (_alterPartition is null || _pendingIsr is not null || Array.IndexOf(_isr, follower.BrokerId) >= 0)
        {
            return;
        }
        if (follower.LogEndOffset >= Log.HighWatermark && follower.LogEndOffset >= LeaderEpochStartOffset)
        {
            ProposeIsr([.. _isr, follower.BrokerId]);
        }
    }

    /// <summary>HW = the smallest log end offset in the maximal ISR, leader included; it only moves forward. Under the gate.</summary>
    private bool TryAdvanceHighWatermark()
    {
        if (!_isLeader)
        {
            return false;
        }
        var highWatermark = Log.LogEndOffset;
        highWatermark = LowestFollowerEnd(_isr, highWatermark);
        if (_pendingIsr is not null)
        {
            highWatermark = LowestFollowerEnd(_pendingIsr, highWatermark);
        }
        if (highWatermark <= Log.HighWatermark)
        {
            return false;
        }
        Log.HighWatermark = highWatermark;
        return true;
    }

    private long LowestFollowerEnd(int[] replicas, long lowest)
    {
        foreach (var replica in replicas)
        {
            if (replica != LocalBrokerId && _followers.TryGetValue(replica, out var follower))
            {
                lowest = Math.Min(lowest, follower.LogEndOffset);
            }
        }
        return lowest;
    }

    /// <summary>Sends the ISR change; its answer is applied only if no newer state replaced it meanwhile. Under the gate.</summary>
    private void ProposeIsr(int[] proposal)
    {
        _pendingIsr = proposal;
        var leaderEpoch = LeaderEpoch;
        var partitionEpoch = PartitionEpoch;
        var channel = _alterPartition ?? throw new InvalidOperationException("No AlterPartition channel.");
        // Off the gate: a channel that answers synchronously must not re-enter it half-way through this change.
        _ = Task.Run(() => SendIsrChangeAsync(channel, proposal, leaderEpoch, partitionEpoch));
    }

    private async Task SendIsrChangeAsync(IAlterPartitionChannel channel, int[] proposal, int leaderEpoch, int partitionEpoch)
    {
        AlterPartitionResult result;
        try
        {
            result = await channel.AlterPartitionAsync(Id, TopicId, leaderEpoch, partitionEpoch, proposal, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            // The controller is unreachable: the change is dropped and proposed again at the next check or fetch.
            result = AlterPartitionResult.Failed(ErrorCode.RequestTimedOut);
        }
        var moved = false;
        lock (_gate)
        {
            if (!ReferenceEquals(_pendingIsr, proposal))
            {
                return;
            }
            _pendingIsr = null;
            if (result.Error == ErrorCode.None && _isLeader && result.LeaderEpoch == LeaderEpoch && result.PartitionEpoch >= PartitionEpoch)
            {
                Volatile.Write(ref _isr, [.. result.Isr]);
                PartitionEpoch = result.PartitionEpoch;
            }
            moved = TryAdvanceHighWatermark();
        }
        if (moved)
        {
            SignalHighWatermark();
        }
    }
}
