using Freshet.Storage.IO;
using Freshet.Storage.Producers;
using Freshet.Storage.Recovery;
using Freshet.Storage.Segments;

namespace Freshet.Storage;

public sealed partial class PartitionLog
{
    private long _truncations;

    /// <summary>How many truncations the log has had; counted once each is complete (the cleaner checks it).</summary>
    internal long Truncations => Volatile.Read(ref _truncations);
    /// <summary>
    /// A follower removes its log from <paramref name="offset"/> on, where its leader's log diverges (Kafka's
    /// UnifiedLog.truncateTo). The offset is a batch boundary the leader gave; one inside a batch truncates to that
    /// batch's start. Segments starting after the offset are deleted (after file.delete.delay.ms, so reads under way
    /// finish), the segment holding it is cut (log, offset, time and transaction indexes) and becomes the active
    /// segment; the high watermark, recovery point and log start offset are clamped to the new end, epochs from the
    /// end on are dropped, and the producer state is rebuilt from the latest snapshot at or below the end. When the
    /// offset is at or past the log end nothing is removed, but epochs starting at the log end are dropped (a leader
    /// that assigned one and wrote nothing). Below the first segment it is <see cref="TruncateFullyAndStartAt"/>.
    /// Returns whether anything was removed.
    /// </summary>
    /// <exception cref="KafkaStorageException">The log dir is offline, or goes offline with this truncation.</exception>
    public bool TruncateTo(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return Guard("truncate", () =>
        {
            lock (_appendLock)
            {
                ObjectDisposedException.ThrowIf(_closed, this);
                if (offset >= _logEndOffset)
                {
                    _epochs.TruncateFromEnd(_logEndOffset);
                    return false;
                }
                if (offset < _segments[0].BaseOffset)
                {
                    StartAt(offset);
                    return true;
                }
                lock (_flushLock)
                {
                    TruncateLocked(offset);
                }
                return true;
            }
        });
    }

    /// <summary>
    /// Deletes every segment and starts an empty log at <paramref name="newStartOffset"/>: a follower whose leader no
    /// longer has the offsets it would fetch next (Kafka's truncateFullyAndStartAt). Epochs and producer state are
    /// cleared with it.
    /// </summary>
    /// <exception cref="KafkaStorageException">The log dir is offline, or goes offline with this truncation.</exception>
    public void TruncateFullyAndStartAt(long newStartOffset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(newStartOffset);
        Guard("truncate", () =>
        {
            lock (_appendLock)
            {
                ObjectDisposedException.ThrowIf(_closed, this);
                StartAt(newStartOffset);
            }
        });
    }

    /// <summary>
    /// Readers first see the lower offsets, then the shorter segment list, then the cut files: a read under way may
    /// come back with less than it asked for, never with data past the new end it started after. Each step leaves
    /// files the loader recovers: <c>.deleted</c> segments are removed at start-up, a cut segment is re-read from the
    /// recovery point, epochs and snapshots past the log end are dropped.
    /// </summary>
    private void TruncateLocked(long offset)
    {
        var segments = _segments;
        var keep = FloorSegment(segments, offset);
        var last = segments[keep];
        var cut = last.TryFindTruncationPoint(offset, out var position, out var header);
        var newEnd = cut ? Math.Min(offset, header.BaseOffset) : offset;
        PublishEnd(newEnd, Math.Min(_logStartOffset, newEnd));
        var removed = segments[(keep + 1)..];
        Volatile.Write(ref _segments, segments[..(keep + 1)]);
        DeleteSegments(removed);
        if (cut)
        {
            last.TruncateAt(position, header.BaseOffset);
        }
        last.BecomeActive();
        _epochs.TruncateFromEnd(newEnd);
        Volatile.Write(ref _producers, ProducerStateLoader.Load(Directory, _segments, newEnd, _logger));
        Interlocked.Increment(ref _truncations);
        StorageLog.Truncated(_logger, TopicPartition, offset, newEnd, removed.Length);
    }

    private void StartAt(long newStartOffset)
    {
        lock (_flushLock)
        {
            var old = _segments;
            DeleteSegments(old);
            var fresh = LogSegment.Create(Directory, newStartOffset, Config, _logger);
            DirectorySync.Fsync(Directory);
            Volatile.Write(ref _segments, [fresh]);
            PublishEnd(newStartOffset, newStartOffset);
            _epochs.Clear();
            Volatile.Write(ref _producers, new ProducerStateManager());
            ProducerSnapshotFiles.DeleteAll(Directory);
            Interlocked.Increment(ref _truncations);
            StorageLog.TruncatedFully(_logger, TopicPartition, newStartOffset, old.Length);
        }
    }

    /// <summary>The caller holds both locks; the flush lock keeps a flush from moving the recovery point back up.</summary>
    private void PublishEnd(long logEndOffset, long logStartOffset)
    {
        Volatile.Write(ref _highWatermark, Math.Clamp(_highWatermark, logStartOffset, logEndOffset));
        Volatile.Write(ref _logEndOffset, logEndOffset);
        Volatile.Write(ref _logStartOffset, logStartOffset);
        Volatile.Write(ref _recoveryPoint, Math.Min(_recoveryPoint, logEndOffset));
    }

    /// <summary>
    /// Renames segments out of the log, newest first, so a crash part-way leaves a log that is a prefix of the old
    /// one; their files go after file.delete.delay.ms.
    /// </summary>
    private void DeleteSegments(LogSegment[] segments)
    {
        if (segments.Length == 0)
        {
            return;
        }
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            segments[i].MarkDeleted();
        }
        DirectorySync.Fsync(Directory);
        foreach (var segment in segments)
        {
            Retire(segment, deleteFiles: true);
        }
    }
}
