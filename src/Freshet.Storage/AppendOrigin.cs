namespace Freshet.Storage;

/// <summary>Who wrote the batches of an append, which decides the producer-state checks they get.</summary>
public enum AppendOrigin
{
    /// <summary>A producer: idempotent batches are deduplicated and their sequence numbers checked.</summary>
    Client,

    /// <summary>
    /// The broker itself (transaction markers, offsets committed in a transaction, baseSequence -1): no sequence
    /// check, but the producer epoch is checked and transactions are tracked.
    /// </summary>
    Coordinator,

    /// <summary>
    /// A follower copying its leader's log (<see cref="PartitionLog.AppendAsFollower"/>): the leader already checked
    /// the batches, so the producer state takes them without any check, as Kafka's REPLICATION origin.
    /// </summary>
    Replication,
}
