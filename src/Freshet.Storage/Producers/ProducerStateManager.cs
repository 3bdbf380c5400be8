using Freshet.Protocol.Records;

namespace Freshet.Storage.Producers;

/// <summary>
/// The producer state of one partition (Kafka's ProducerStateManager): an entry per producer id, and the open
/// transactions ordered by first offset, whose smallest is the first unstable offset. Everything is decided from
/// batch headers (and the one record of a control batch), never from data records. Mutated only under the log's
/// append lock (or by recovery before the log is published); <see cref="FirstUnstableOffset"/> is readable anywhere.
/// </summary>
internal sealed partial class ProducerStateManager
{
    public const long NoUnstableOffset = long.MaxValue;

    private readonly Dictionary<long, ProducerStateEntry> _producers = [];
    private readonly SortedDictionary<long, long> _openTxns = [];
    private long _firstUnstableOffset = NoUnstableOffset;

    public int Count => _producers.Count;

    /// <summary>The first offset of the oldest open transaction; <see cref="NoUnstableOffset"/> when none is open.</summary>
    public long FirstUnstableOffset => Volatile.Read(ref _firstUnstableOffset);

    public IEnumerable<ProducerStateEntry> Entries => _producers.Values;

    public bool TryGet(long producerId, out ProducerStateEntry entry) => _producers.TryGetValue(producerId, out entry!);

    /// <summary>
    /// Checks one batch against the producer's state before anything is written (Kafka's ProducerAppendInfo rules).
    /// Returns true, with the original batch, when the batch is a retry of one of the producer's last batches.
    /// </summary>
    /// <exception cref="InvalidProducerEpochException">The epoch is older than the producer's.</exception>
    /// <exception cref="OutOfOrderSequenceException">The sequence does not follow the producer's last one.</exception>
    /// <exception cref="InvalidTxnStateException">A non-transactional batch while the producer's transaction is open.</exception>
    /// <exception cref="TransactionCoordinatorFencedException">A marker from an older coordinator epoch.</exception>
    public bool Check(in RecordBatchHeader header, ReadOnlySpan<byte> batch, AppendOrigin origin, out BatchMetadata duplicate)
    {
        duplicate = default;
        if (header.ProducerId < 0 || origin == AppendOrigin.Replication)
        {
            return false;
        }
        _producers.TryGetValue(header.ProducerId, out var entry);
        var lastSequence = Sequences.Increment(header.BaseSequence, header.LastOffsetDelta);
        if (origin == AppendOrigin.Client && !header.IsControl && entry is not null
            && entry.TryFindDuplicate(header.ProducerEpoch, header.BaseSequence, lastSequence, out duplicate))
        {
            return true;
        }
        if (entry is null)
        {
            // An unknown producer (new, or its state expired or was deleted with the log) starts at any sequence,
            // as in Kafka since KIP-360; UNKNOWN_PRODUCER_ID is no longer an answer to Produce.
            return false;
        }
        if (header.ProducerEpoch < entry.Epoch)
        {
            throw new InvalidProducerEpochException(
                $"Epoch {header.ProducerEpoch} of producer {header.ProducerId} is older than its current epoch {entry.Epoch}.");
        }
        if (header.IsControl)
        {
            if (EndTxnMarker.TryRead(batch, out var marker) && marker.CoordinatorEpoch < entry.CoordinatorEpoch)
            {
                throw new TransactionCoordinatorFencedException(
                    $"Marker for producer {header.ProducerId} has coordinator epoch {marker.CoordinatorEpoch}, older than {entry.CoordinatorEpoch}.");
            }
            return false;
        }
        if (origin == AppendOrigin.Client)
        {
            CheckSequence(entry, header);
        }
        if (entry.CurrentTxnFirstOffset != ProducerStateEntry.NoTransaction && !header.IsTransactional)
        {
            throw new InvalidTxnStateException(
                $"Producer {header.ProducerId} wrote a non-transactional batch while its transaction from offset {entry.CurrentTxnFirstOffset} is open.");
        }
        return false;
    }

    private static void CheckSequence(ProducerStateEntry entry, in RecordBatchHeader header)
    {
        if (header.ProducerEpoch != entry.Epoch)
        {
            // A new epoch starts again at sequence 0.
            if (header.BaseSequence != 0 && entry.Epoch != ProducerStateEntry.NoEpoch)
            {
                throw new OutOfOrderSequenceException(
                    $"Producer {header.ProducerId} started epoch {header.ProducerEpoch} at sequence {header.BaseSequence}, not 0.");
            }
            return;
        }
        if (!Sequences.Follows(entry.LastSequence, header.BaseSequence))
        {
            throw new OutOfOrderSequenceException(
                $"Producer {header.ProducerId} sent sequence {header.BaseSequence} after {entry.LastSequence} (epoch {header.ProducerEpoch}).");
        }
    }

    /// <summary>
    /// Takes a written batch into the state: its sequence range, a transaction it opens, or the transaction its
    /// marker ends (returned, so the caller can index it when aborted). Recovery replays the log through this too.
    /// </summary>
    public CompletedTxn? Apply(in RecordBatchHeader header, ReadOnlySpan<byte> batch)
    {
        if (header.ProducerId < 0)
        {
            return null;
        }
        var entry = GetOrAdd(header.ProducerId);
        if (header.IsControl)
        {
            return ApplyMarker(entry, header, batch);
        }
        if (header.BaseSequence >= 0)
        {
            var lastSequence = Sequences.Increment(header.BaseSequence, header.LastOffsetDelta);
            entry.AddBatch(header.ProducerEpoch, new BatchMetadata(lastSequence, header.LastOffset, header.LastOffsetDelta, header.MaxTimestamp));
        }
        else
        {
            entry.SetEpoch(header.ProducerEpoch);
            entry.LastTimestamp = header.MaxTimestamp;
        }
        if (header.IsTransactional && entry.CurrentTxnFirstOffset == ProducerStateEntry.NoTransaction)
        {
            entry.CurrentTxnFirstOffset = header.BaseOffset;
            _openTxns[header.BaseOffset] = header.ProducerId;
            PublishFirstUnstableOffset();
        }
        return null;
    }

    private CompletedTxn? ApplyMarker(ProducerStateEntry entry, in RecordBatchHeader header, ReadOnlySpan<byte> batch)
    {
        if (!EndTxnMarker.TryRead(batch, out var marker))
        {
            return null;
        }
        CompletedTxn? completed = null;
        if (entry.CurrentTxnFirstOffset != ProducerStateEntry.NoTransaction)
        {
            completed = new CompletedTxn(entry.ProducerId, entry.CurrentTxnFirstOffset, header.BaseOffset, !marker.IsCommit);
            _openTxns.Remove(entry.CurrentTxnFirstOffset);
            entry.CurrentTxnFirstOffset = ProducerStateEntry.NoTransaction;
            PublishFirstUnstableOffset();
        }
        entry.SetEpoch(header.ProducerEpoch);
        entry.CoordinatorEpoch = marker.CoordinatorEpoch;
        entry.LastTimestamp = header.MaxTimestamp;
        return completed;
    }

    /// <summary>The last stable offset once <paramref name="completed"/> has ended: the next open transaction's start, or past the marker.</summary>
    public long LastStableOffsetAfter(CompletedTxn completed)
    {
        var next = FirstUnstableOffset;
        return next == NoUnstableOffset ? completed.LastOffset + 1 : next;
    }

    /// <summary>
    /// producer.id.expiration.ms: forgets producers without an open transaction whose last write is that old.
    /// Returns how many went.
    /// </summary>
    public int RemoveExpired(long nowMs, long expirationMs)
    {
        List<long>? expired = null;
        foreach (var entry in _producers.Values)
        {
            if (entry.CurrentTxnFirstOffset == ProducerStateEntry.NoTransaction && nowMs - entry.LastTimestamp >= expirationMs)
            {
                (expired ??= []).Add(entry.ProducerId);
            }
        }
        if (expired is null)
        {
            return 0;
        }
        foreach (var producerId in expired)
        {
            _producers.Remove(producerId);
        }
        return expired.Count;
    }

    private ProducerStateEntry GetOrAdd(long producerId)
    {
        if (!_producers.TryGetValue(producerId, out var entry))
        {
            entry = new ProducerStateEntry(producerId);
            _producers[producerId] = entry;
        }
        return entry;
    }

    private void PublishFirstUnstableOffset()
    {
        var first = NoUnstableOffset;
        foreach (var offset in _openTxns.Keys)
        {
            first = offset;
            break;
        }
        Volatile.Write(ref _firstUnstableOffset, first);
    }
}
