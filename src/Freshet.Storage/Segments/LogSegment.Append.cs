using Freshet.Protocol.Records;
using Freshet.Storage.IO;

namespace Freshet.Storage.Segments;

internal sealed partial class LogSegment
{
    /// <summary>
    /// Writes batches whose offsets are assigned at the tail and indexes them. The caller holds the log's
    /// append lock and has checked that they fit (size, relative offsets).
    /// </summary>
    public void Append(ReadOnlySpan<byte> batches, long nowMs)
    {
        var position = _size;
        if (position == 0)
        {
            _rollingBaseMs = nowMs;
        }
        FileIo.Write(_log, batches, position);
        var offset = 0;
        while (offset < batches.Length)
        {
            var header = RecordBatchHeader.Read(batches[offset..]);
            IndexBatch(header, position + offset);
            offset += header.TotalSize;
        }
        Volatile.Write(ref _size, position + batches.Length);
    }

    /// <summary>
    /// The sparse-index rule, shared by appends and recovery so that a rebuilt index equals the written one:
    /// once more than index.interval.bytes have been appended since the last entry, the next batch gets one.
    /// </summary>
    private void IndexBatch(in RecordBatchHeader header, int position)
    {
        var max = _maxTimestamp;
        if (header.MaxTimestamp > max.Timestamp)
        {
            max = new MaxTimestamp(header.MaxTimestamp, header.BaseOffset);
            Volatile.Write(ref _maxTimestamp, max);
        }
        if (_bytesSinceLastIndexEntry > _indexIntervalBytes)
        {
            _offsetIndex!.Append(header.BaseOffset, position);
            if (max.Timestamp >= 0)
            {
                _timeIndex!.MaybeAppend(max.Timestamp, max.Offset);
            }
            _bytesSinceLastIndexEntry = 0;
        }
        _bytesSinceLastIndexEntry += header.TotalSize;
        Volatile.Write(ref _nextOffset, header.NextOffset);
    }
}
