using Freshet.Storage;

namespace Freshet.Broker.Transactions;

/// <summary>
/// What a transactional id's log record holds: the producer it maps to, the state of its transaction and the
/// partitions in it. Immutable: the coordinator writes the next one to __transaction_state, then adopts it.
/// </summary>
internal sealed record TransactionSnapshot(
    long ProducerId,
    short ProducerEpoch,
    int TimeoutMs,
    TransactionState State,
    IReadOnlySet<TopicPartition> Partitions,
    long StartTimestampMs,
    long LastUpdateTimestampMs)
{
    public static readonly IReadOnlySet<TopicPartition> NoPartitions = new HashSet<TopicPartition>();
}

/// <summary>
/// One transactional id in the coordinator. Every access holds its lock. <see cref="PendingMarkers"/> are the
/// partitions of a PrepareCommit/PrepareAbort still waiting for their marker.
/// </summary>
internal sealed class TransactionMetadata(string transactionalId, TransactionSnapshot current)
{
    public string TransactionalId { get; } = transactionalId;

    public TransactionSnapshot Current { get; private set; } = current;

    /// <summary>PrepareEpochFence while the coordinator fences the producer; the logged state otherwise.</summary>
    public TransactionState State { get; set; } = current.State;

    public long ProducerId => Current.ProducerId;

    public short ProducerEpoch => Current.ProducerEpoch;

    /// <summary>
    /// The producer id and epoch the last InitProducerId replaced, while nothing else has happened since: a
    /// retried InitProducerId whose answer was lost presents them and gets the same answer again.
    /// </summary>
    public (long ProducerId, short ProducerEpoch)? BeforeLastInit { get; set; }

    public HashSet<TopicPartition> PendingMarkers { get; } = [];

    /// <summary>The next state while its write waits for the in-sync replicas; null when none is in flight.</summary>
    public TransactionSnapshot? PendingWrite { get; set; }

    /// <summary>The pending markers being written right now (to another broker), not to be sent twice.</summary>
    public HashSet<TopicPartition> MarkersInFlight { get; } = [];

    /// <summary>Adopts the snapshot just written to the log.</summary>
    public void Apply(TransactionSnapshot next)
    {
        BeforeLastInit = null;
        Current = next;
        // Sends still in flight belong to the previous snapshot; their answers are ignored.
        MarkersInFlight.Clear();
        State = next.State;
        if (next.State.IsPrepare())
        {
            PendingMarkers.UnionWith(next.Partitions);
        }
        else
        {
            PendingMarkers.Clear();
        }
    }
}
