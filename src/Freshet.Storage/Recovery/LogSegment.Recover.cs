using System.Buffers;
using Freshet.Protocol.Records;
using Freshet.Storage.Indexes;

namespace Freshet.Storage.Segments;

/// <summary>What re-reading a segment found.</summary>
internal readonly record struct SegmentRecoveryResult(long NextOffset, long TruncatedBytes, string? Fault);

internal sealed partial class LogSegment
{
    private volatile bool _indexesLoaded;
    private bool _indexesExpectedMissing;

    /// <summary>
    /// Re-reads the segment from the batch holding <paramref name="trustBelowOffset"/> (the recovery point; all of it
    /// when the point is below the segment, only from the last index entry when it is <see cref="long.MaxValue"/>,
    /// after a clean shutdown). Batches below the point are trusted and only framed; from the point on each
    /// batch's size, magic, offsets and CRC-32C are checked, and the file is truncated at the first bad byte.
    /// Index entries from the start of the re-read on are dropped and rebuilt by the same rule as appends. Each batch
    /// read goes to <paramref name="epochs"/> (kept in memory; the loader writes the checkpoint once).
    /// <paramref name="fromStart"/> walks the whole segment (trusted batches are still only framed): the loader's
    /// rebuild of a lost epoch checkpoint.
    /// </summary>
    public SegmentRecoveryResult Recover(long trustBelowOffset, long nowMs, Epochs.LeaderEpochCache? epochs = null, bool fromStart = false)
    {
        lock (_indexLoadLock)
        {
            var fileLength = _size;
            var hadIndexes = HasIndexFiles;
            _offsetIndex = OffsetIndex.Open(LogFileNames.IndexFile(Directory, BaseOffset), BaseOffset, _maxIndexBytes, fileLength, out _);
            _timeIndex = TimeIndex.Open(LogFileNames.TimeIndexFile(Directory, BaseOffset), BaseOffset, _maxIndexBytes, long.MaxValue, out _);
            var (startOffset, startPosition) = trustBelowOffset == long.MaxValue && _offsetIndex.LastEntry is { } last
                ? (BaseOffset + last.RelativeOffset, last.Position)
                : _offsetIndex.Lookup(trustBelowOffset);
            if (fromStart || !hadIndexes || !StartsBatch(startPosition, startOffset, fileLength))
            {
                (startOffset, startPosition) = (BaseOffset, 0);
            }
            _offsetIndex.TruncateFrom(startOffset + 1, preallocate: false);
            _timeIndex.TruncateFrom(startOffset + 1, preallocate: false);
            _maxTimestamp = _timeIndex.LastEntry is { } t ? new MaxTimestamp(t.Timestamp, t.Offset) : MaxTimestamp.None;
            _nextOffset = startOffset;

            var (end, fault) = Walk(startPosition, startOffset, trustBelowOffset, fileLength, epochs);
            long truncated = fileLength - end;
            if (truncated > 0)
            {
                RandomAccess.SetLength(_log, end);
            }
            _size = end;
            if (_maxTimestamp.Timestamp >= 0)
            {
                _timeIndex.MaybeAppend(_maxTimestamp.Timestamp, _maxTimestamp.Offset);
            }
            _rollingBaseMs = end > 0 && BatchHeaders.TryRead(_log, 0, end, out var first) && first.MaxTimestamp >= 0 ? first.MaxTimestamp : nowMs;
            _indexesLoaded = true;
            return new SegmentRecoveryResult(_nextOffset, truncated, fault);
        }
    }

    /// <summary>
    /// Loads the indexes of a segment that recovery did not touch. An index that is missing, has bytes that are not
    /// increasing entries or preallocated zeros, or points past the log is rebuilt from the (trusted) log.
    /// </summary>
    private void EnsureIndexesLoaded()
    {
        if (_indexesLoaded)
        {
            return;
        }
        lock (_indexLoadLock)
        {
            if (_indexesLoaded)
            {
                return;
            }
            var hadIndexes = HasIndexFiles;
            _offsetIndex = OffsetIndex.Open(LogFileNames.IndexFile(Directory, BaseOffset), BaseOffset, _maxIndexBytes, _size, out var offsetIndexValid);
            _timeIndex = TimeIndex.Open(LogFileNames.TimeIndexFile(Directory, BaseOffset), BaseOffset, _maxIndexBytes, NextOffset, out var timeIndexValid);
            var timeIndexEmpty = _timeIndex.Count == 0 && _size > 0;
            if (!hadIndexes || !offsetIndexValid || !timeIndexValid || timeIndexEmpty)
            {
                if (hadIndexes || !_indexesExpectedMissing)
                {
                    StorageLog.RebuildingIndex(_logger, LogPath, hadIndexes ? "corrupt" : "missing");
                }
                _offsetIndex.TruncateFrom(BaseOffset, preallocate: false);
                _timeIndex.TruncateFrom(BaseOffset, preallocate: false);
                _maxTimestamp = MaxTimestamp.None;
                // A cleaned segment may end before its last offset (the cleaner dropped its tail records); the
                // offset it was opened with stays the segment's end.
                var nextOffset = _nextOffset;
                Walk(0, BaseOffset, long.MaxValue, _size);
                _nextOffset = Math.Max(_nextOffset, nextOffset);
                if (_maxTimestamp.Timestamp >= 0)
                {
                    _timeIndex.MaybeAppend(_maxTimestamp.Timestamp, _maxTimestamp.Offset);
                }
            }
            else if (_timeIndex.LastEntry is { } last)
            {
                _maxTimestamp = new MaxTimestamp(last.Timestamp, last.Offset);
            }
            _indexesLoaded = true;
        }
    }

    private bool StartsBatch(int position, long offset, int limit) =>
        position == 0 || (BatchHeaders.TryRead(_log, position, limit, out var header) && header.BaseOffset == offset);

    /// <summary>Reads batches from <paramref name="position"/> to <paramref name="limit"/>, indexing each; stops at the first invalid one.</summary>
    private (int End, string? Fault) Walk(int position, long expectedOffset, long trustBelowOffset, int limit, Epochs.LeaderEpochCache? epochs = null)
    {
        _bytesSinceLastIndexEntry = 0;
        byte[]? buffer = null;
        try
        {
            while (position < limit)
            {
                if (!BatchHeaders.TryRead(_log, position, limit, out var header))
                {
                    return (position, $"torn or impossibly sized batch at position {position}");
                }
                if (header.Magic != RecordBatchHeader.CurrentMagic)
                {
                    return (position, $"magic {header.Magic} at position {position}");
                }
                if (header.BaseOffset < expectedOffset || header.LastOffsetDelta < 0 || header.LastOffset - BaseOffset > int.MaxValue)
                {
                    return (position, $"offsets {header.BaseOffset}..{header.LastOffset} out of order at position {position}");
                }
                if (header.LastOffset >= trustBelowOffset)
                {
                    if (buffer is null || buffer.Length < header.TotalSize)
                    {
                        if (buffer is not null)
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }
                        buffer = ArrayPool<byte>.Shared.Rent(header.TotalSize);
                    }
                    var batch = buffer.AsSpan(0, header.TotalSize);
                    if (!IO.FileIo.TryReadExactly(_log, batch, position) || RecordBatchHeader.ComputeCrc(batch) != header.Crc)
                    {
                        return (position, $"CRC mismatch at position {position}");
                    }
                }
                IndexBatch(header, position);
                // As Kafka's recovery: only a newer epoch is taken, so batches re-read below entries the checkpoint
                // already has cannot reorder them.
                if (epochs is not null && header.PartitionLeaderEpoch > epochs.LatestEpoch)
                {
                    epochs.Assign(header.PartitionLeaderEpoch, header.BaseOffset, persist: false);
                }
                expectedOffset = header.NextOffset;
                position += header.TotalSize;
            }
            return (position, null);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
