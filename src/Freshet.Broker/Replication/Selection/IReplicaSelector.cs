namespace Freshet.Broker.Replication.Selection;

/// <summary>
/// Chooses the replica a consumer should fetch a partition from (KIP-392), on the leader, at every consumer fetch.
/// Set by <c>replica.selector.class</c>; without one, consumers read from the leader.
/// </summary>
internal interface IReplicaSelector
{
    /// <param name="clientRack">The consumer's <c>client.rack</c> from the fetch request; empty when it has none.</param>
    /// <param name="replicas">
    /// The leader first, then the in-sync followers that hold the fetch offset. Never empty.
    /// </param>
    /// <returns>The broker id of the replica to read from; the leader's id means the leader serves the fetch.</returns>
    int Select(string clientRack, ReadOnlySpan<ReplicaView> replicas);
}
