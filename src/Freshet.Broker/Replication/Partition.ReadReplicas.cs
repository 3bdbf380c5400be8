using Freshet.Broker.Replication.Selection;

namespace Freshet.Broker.Replication;

internal sealed partial class Partition
{
    /// <summary>
    /// The replicas a consumer could read from <paramref name="fetchOffset"/> on, for the replica selector: this
    /// leader first, then the followers of the committed ISR whose log reaches the offset. Followers outside the ISR
    /// are left out, since a lagging follower would hold its consumers back for as long as it lags (Kafka's rule).
    /// Racks are left for the caller. Returns how many were written; 0 when this broker does not lead.
    /// </summary>
    public int CollectReadReplicas(long fetchOffset, Span<ReplicaView> into)
    {
        lock (_gate)
        {
            if (!_isLeader || into.Length == 0)
            {
                return 0;
            }
            var now = NowMs();
            var count = 0;
            into[count++] = new ReplicaView(LocalBrokerId, null, Log.LogEndOffset, 0);
            foreach (var replica in _isr)
            {
                if (count == into.Length)
                {
                    break;
                }
                if (replica != LocalBrokerId && _followers.TryGetValue(replica, out var follower) && follower.LogEndOffset >= fetchOffset)
                {
                    into[count++] = new ReplicaView(replica, null, follower.LogEndOffset, Math.Max(0, now - follower.LastCaughtUpTimeMs));
                }
            }
            return count;
        }
    }
}
