namespace Freshet.Broker.Replication;

/// <summary>
/// Leader appends against role changes, under the gate: appends count themselves in and out and write to the log
/// (which orders them under its own append lock) with the gate free, so a write or an fsync holds up no follower
/// fetch or ISR change. A role change waits for the appends in the log to leave and holds new ones back until it is
/// done, so an append never straddles a change of epoch or role.
/// </summary>
internal sealed partial class Partition
{
    /// <summary>Enters an append as leader and returns the epoch it appends in.</summary>
    /// <exception cref="NotLeaderOrFollowerException">This broker does not lead the partition.</exception>
    private int EnterLeaderAppend()
    {
        lock (_gate)
        {
            // A role change waiting for the appends in flight goes first, or a steady stream of appends would starve it.
            while (_roleChangesWaiting > 0)
            {
                Monitor.Wait(_gate);
            }
            if (!_isLeader)
            {
                throw new NotLeaderOrFollowerException($"This broker does not lead {Id.Topic}-{Id.Partition}.");
            }
            _leaderAppends++;
            return LeaderEpoch;
        }
    }

    /// <summary>Under the gate.</summary>
    private void LeaveLeaderAppend()
    {
        if (--_leaderAppends == 0 && _roleChangesWaiting > 0)
        {
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Under the gate: returns once no leader append is in the log; new ones wait until <see cref="EndRoleChange"/>.</summary>
    private void BeginRoleChange()
    {
        _roleChangesWaiting++;
        while (_leaderAppends > 0)
        {
            Monitor.Wait(_gate);
        }
    }

    /// <summary>Under the gate.</summary>
    private void EndRoleChange()
    {
        if (--_roleChangesWaiting == 0)
        {
            Monitor.PulseAll(_gate);
        }
    }
}
