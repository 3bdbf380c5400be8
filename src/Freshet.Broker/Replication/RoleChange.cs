namespace Freshet.Broker.Replication;

/// <summary>What applying a metadata state did to a partition, so the replica manager starts or stops what follows from it.</summary>
internal enum RoleChange
{
    /// <summary>Older than the state already applied; ignored.</summary>
    Stale,

    /// <summary>Same role, leader and epoch (an ISR or replica change at most).</summary>
    Unchanged,

    /// <summary>Leads now, in a new leader epoch.</summary>
    BecameLeader,

    /// <summary>Led before, follows (or has no leader) now.</summary>
    Resigned,

    /// <summary>Followed before and follows another leader or epoch now.</summary>
    FollowsNewLeader,
}
