namespace Freshet.Broker.Replication.Selection;

/// <summary>Always the leader: consumers read where producers write, as without a selector (Kafka's LeaderSelector).</summary>
internal sealed class LeaderReplicaSelector : IReplicaSelector
{
    public int Select(string clientRack, ReadOnlySpan<ReplicaView> replicas) => replicas[0].BrokerId;
}
