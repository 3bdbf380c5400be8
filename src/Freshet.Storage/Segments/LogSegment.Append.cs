using Freshet.Protocol.Records;
using Freshet.Storage.IO;

namespace Freshet.Storage.Segments;

internal sealed partial class LogSegment
{
    /// <summary>
    /// Writes batches whose offsets are assigned at the tail, indexes them and publishes them at once. The caller
    /// holds the log's append lock, has checked that they fit (size, relative offsets) and has no append of this
    /// segment in flight.
    /// </summary>
    public void Append(ReadOnlySpan<byte> batches, long nowMs)
    {
        var position = Reserve(batches, nowMs);
        Write(batches, position);
        Publish(position + batches.Length);
    }

    /// <summary>
    /// Takes the next <paramref name="batches"/>.Length bytes of the file for batches whose offsets are assigned at
    /// the tail and indexes them; returns where they go. Under the log's append lock, which orders reservations. The
    /// bytes stay invisible to readers (<see cref="Size"/>) until <see cref="Publish"/>: index entries may point past
    /// <see cref="Size"/> meanwhile, and every reader stops at <see cref="Size"/>.
    /// </summary>
    public int Reserve(ReadOnlySpan<byte> batches, long nowMs)
    {
        var position = _reservedSize;
        if (position == 0)
        {
            _rollingBaseMs = nowMs;
        }
        var offset = 0;
        while (offset < batches.Length)
        {
            var header = RecordBatchHeader.Read(batches[offset..]);
            IndexBatch(header, position + offset);
            offset += header.TotalSize;
        }
        _reservedSize = position + batches.Length;
        return position;
    }

    /// <summary>Writes reserved bytes to the page cache; needs no lock, as reservations never overlap.</summary>
    public void Write(ReadOnlySpan<byte> batches, int position) => FileIo.Write(_log, batches, position);

    /// <summary>Readers may see the bytes below <paramref name="end"/>. Reservations are published in the order they were taken.</summary>
    public void Publish(int end) => Volatile.Write(ref _size, end);

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
