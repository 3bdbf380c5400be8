namespace Freshet.Broker.Replication.Selection;

/// <summary>
/// A replica in the consumer's rack (Kafka's RackAwareReplicaSelector): the leader when it is there or when no
/// replica is, otherwise the most caught-up replica of that rack. A consumer without a rack reads from the leader.
/// </summary>
internal sealed class RackAwareReplicaSelector : IReplicaSelector
{
    public int Select(string clientRack, ReadOnlySpan<ReplicaView> replicas)
    {
        var leader = replicas[0];
        if (string.IsNullOrEmpty(clientRack) || leader.Rack == clientRack)
        {
            return leader.BrokerId;
        }
        var best = -1;
        for (var i = 1; i < replicas.Length; i++)
        {
            if (replicas[i].Rack == clientRack && (best < 0 || ReplicaView.Compare(replicas[i], replicas[best]) > 0))
            {
                best = i;
            }
        }
        return best < 0 ? leader.BrokerId : replicas[best].BrokerId;
    }
}
