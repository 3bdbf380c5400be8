using Freshet.Protocol.Records;
using Freshet.Storage.Producers;
using Freshet.Storage.Segments;

namespace Freshet.Storage;

public sealed partial class PartitionLog
{
    /// <summary>Replaced whole when a truncation rebuilds it; mutated only under the append lock.</summary>
    private ProducerStateManager _producers;

    /// <summary>
    /// The first offset of the oldest open transaction, or <see cref="long.MaxValue"/> when none is open; the last
    /// stable offset is the smaller of this and the high watermark.
    /// </summary>
    public long FirstUnstableOffset => Volatile.Read(ref _producers).FirstUnstableOffset;

    /// <summary>The producers this partition holds state for (DescribeProducers).</summary>
    public IReadOnlyList<ActiveProducer> ActiveProducers()
    {
        lock (_appendLock)
        {
            var result = new List<ActiveProducer>(_producers.Count);
            foreach (var entry in _producers.Entries)
            {
                result.Add(new ActiveProducer(entry.ProducerId, entry.Epoch, entry.LastSequence, entry.LastTimestamp, entry.CoordinatorEpoch, entry.CurrentTxnFirstOffset));
            }
            return result;
        }
    }

    /// <summary>producer.id.expiration.ms: forgets producers idle that long without an open transaction; returns how many.</summary>
    public int RemoveExpiredProducers(long nowMs, long expirationMs)
    {
        lock (_appendLock)
        {
            return _closed ? 0 : _producers.RemoveExpired(nowMs, expirationMs);
        }
    }

    /// <summary>
    /// The aborted transactions a read_committed fetch of [<paramref name="startOffset"/>, <paramref name="upperBound"/>)
    /// needs: those that end at or after the start and begin before the bound. Each is indexed in the segment of its
    /// marker, so the search runs from the start's segment forward until an entry's last stable offset passes the bound.
    /// </summary>
    public List<AbortedTxn> CollectAbortedTransactions(long startOffset, long upperBound)
    {
        var result = new List<AbortedTxn>();
        var segments = Volatile.Read(ref _segments);
        for (var i = FloorSegment(segments, startOffset); i < segments.Length; i++)
        {
            if (segments[i].TxnIndex.Collect(startOffset, upperBound, result))
            {
                break;
            }
        }
        return result;
    }

    /// <summary>
    /// Checks each batch against the producer state. One batch per append may carry a producer id (every producer
    /// that has one sends one batch per partition and request). True, with the original batch, for a retry.
    /// </summary>
    private bool CheckProducers(ReadOnlySpan<byte> batches, AppendOrigin origin, out BatchMetadata duplicate)
    {
        duplicate = default;
        var position = 0;
        var withProducer = 0;
        while (position < batches.Length)
        {
            var header = RecordBatchHeader.Read(batches[position..]);
            if (header.ProducerId >= 0)
            {
                if (++withProducer > 1)
                {
                    throw new CorruptRecordException("An append holds more than one batch with a producer id.");
                }
                if (_producers.Check(header, batches.Slice(position, header.TotalSize), origin, out duplicate))
                {
                    return true;
                }
            }
            position += header.TotalSize;
        }
        return false;
    }

    /// <summary>Takes the appended batches (offsets assigned) into the producer state; an abort goes to the active segment's index.</summary>
    private void ApplyProducers(ReadOnlySpan<byte> batches, LogSegment active)
    {
        var position = 0;
        while (position < batches.Length)
        {
            var header = RecordBatchHeader.Read(batches[position..]);
            if (header.ProducerId >= 0 && _producers.Apply(header, batches.Slice(position, header.TotalSize)) is { IsAborted: true } aborted)
            {
                active.TxnIndex.Append(new AbortedTxn(aborted.ProducerId, aborted.FirstOffset, aborted.LastOffset, _producers.LastStableOffsetAfter(aborted)));
            }
            position += header.TotalSize;
        }
    }

    /// <summary>Writes the producer state at the log end offset (clean shutdown); the caller has flushed the log.</summary>
    internal void WriteProducerSnapshot()
    {
        long offset;
        byte[] bytes;
        lock (_appendLock)
        {
            if (_closed || IsOffline)
            {
                return;
            }
            offset = _logEndOffset;
            bytes = ProducerSnapshot.Write(_producers);
        }
        Guard("snapshot", () => ProducerSnapshotFiles.Write(Directory, offset, bytes));
    }
}
