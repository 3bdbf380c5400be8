using Freshet.Protocol.Records;

namespace Freshet.Storage.Segments;

internal sealed partial class LogSegment
{
    /// <summary>The first batch a truncation to <paramref name="offset"/> removes: the first whose last offset is ≥ it.</summary>
    public bool TryFindTruncationPoint(long offset, out int position, out RecordBatchHeader header) =>
        TryFindBatch(offset, Size, out position, out header);

    /// <summary>
    /// Cuts the segment at <paramref name="position"/>, the start of the batch at <paramref name="cutOffset"/> (Kafka's
    /// LogSegment.truncateTo): index entries at or after the cut go first, so no index ever points past the log, then
    /// the file is cut and fsynced, so the removed batches cannot come back after a crash. The max timestamp, the
    /// next offset and the bytes since the last index entry are re-read from the last remaining index entry on, by
    /// the rule appends use, so later appends index exactly as if the removed batches had never been written.
    /// </summary>
    public void TruncateAt(int position, long cutOffset)
    {
        lock (_indexLoadLock)
        {
            EnsureIndexesLoaded();
            _offsetIndex!.TruncateFrom(cutOffset, preallocate: false);
            _timeIndex!.TruncateFrom(cutOffset, preallocate: false);
            TxnIndex.TruncateFrom(cutOffset);
            Volatile.Write(ref _size, position);
            RandomAccess.SetLength(_log, position);
            RandomAccess.FlushToDisk(_log);
            var (offset, start) = _offsetIndex.Lookup(cutOffset);
            Volatile.Write(ref _maxTimestamp, _timeIndex.LastEntry is { } last ? new MaxTimestamp(last.Timestamp, last.Offset) : MaxTimestamp.None);
            Volatile.Write(ref _nextOffset, offset);
            Walk(start, offset, long.MaxValue, position);
        }
    }
}
