using Freshet.Storage.Segments;

namespace Freshet.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// DeleteRecords: moves the log start offset forward to <paramref name="offset"/>, so reads below it fail with
    /// OFFSET_OUT_OF_RANGE and ListOffsets earliest answers it. Segments wholly below the new start go at the next
    /// retention pass. Moving it backwards is a no-op. Returns the log start offset (the new low watermark).
    /// </summary>
    /// <exception cref="OffsetOutOfRangeException"><paramref name="offset"/> is negative or above the high watermark.</exception>
    public long DeleteRecordsBefore(long offset)
    {
        lock (_appendLock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var highWatermark = HighWatermark;
            if (offset < 0 || offset > highWatermark)
            {
                throw new OffsetOutOfRangeException(TopicPartition, offset, LogStartOffset, highWatermark);
            }
            MoveLogStartOffsetUp(offset, "DeleteRecords");
            return _logStartOffset;
        }
    }

    /// <summary>
    /// A follower's log start follows its leader's, which each Fetch response carries (moved there by DeleteRecords or
    /// retention): it moves up to <paramref name="leaderLogStartOffset"/>, never past this log's high watermark, and
    /// the segments wholly below it go at the next retention pass, as Kafka's maybeIncrementLogStartOffset. The
    /// log-start-offset checkpoint records it with the others. Returns the log start offset.
    /// </summary>
    public long FollowLeaderLogStartOffset(long leaderLogStartOffset)
    {
        if (leaderLogStartOffset <= LogStartOffset)
        {
            // The common case, every fetch: nothing moved.
            return LogStartOffset;
        }
        lock (_appendLock)
        {
            // A log closed under the fetch (its partition deleted or moved) has nothing left to follow.
            if (!_closed)
            {
                MoveLogStartOffsetUp(Math.Min(leaderLogStartOffset, HighWatermark), "leader's log start offset");
            }
            return _logStartOffset;
        }
    }

    /// <summary>Reads below <paramref name="offset"/> fail from now on; the epoch cache forgets what lies below. Under the append lock.</summary>
    private void MoveLogStartOffsetUp(long offset, string reason)
    {
        if (offset > _logStartOffset)
        {
            Volatile.Write(ref _logStartOffset, offset);
            Guard("epoch checkpoint", () => _epochs.TruncateFromStart(offset));
            StorageLog.MovedLogStartOffset(_logger, TopicPartition, offset, reason);
        }
    }

    /// <summary>
    /// One retention pass, oldest segment first, stopping at the first segment to keep: a segment goes when it lies
    /// wholly below the log start offset, or (cleanup.policy delete) its largest timestamp is older than now −
    /// retention.ms, or the log without it is still at least retention.bytes. Only data below the high watermark is
    /// deleted; when the active segment goes too it is rolled first, so the log never has zero segments. Returns the
    /// removed segments, already renamed <c>.deleted</c>; the caller deletes their files after file.delete.delay.ms.
    /// </summary>
    internal IReadOnlyList<LogSegment> DeleteOldSegments(long nowMs)
    {
        LogSegment? rolled = null;
        byte[]? rollSnapshot = null;
        LogSegment[] removed;
        string reason;
        lock (_appendLock)
        {
            if (_closed)
            {
                return [];
            }
            var config = Config;
            var count = CountDeletable(_segments, nowMs, config, _logStartOffset, HighWatermark, _logEndOffset, out reason);
            if (count == 0)
            {
                return [];
            }
            if (count == _segments.Length)
            {
                rolled = _segments[^1];
                Roll("retention", config);
                rollSnapshot = Producers.ProducerSnapshot.Write(_producers);
            }
            removed = _segments[..count];
            RemoveSegments(removed);
        }
        if (rolled is not null)
        {
            // Nothing below the new active segment is left to fsync; this only moves the recovery point up to it.
            CompleteRoll(rolled, rolled.NextOffset, rollSnapshot!);
        }
        StorageLog.DeletedSegments(_logger, TopicPartition, removed.Length, LogStartOffset, reason);
        return removed;
    }

    /// <summary>
    /// Takes segments out of the log (the caller holds the append lock, and at least one segment stays): the log start
    /// offset moves up to the first remaining segment, then the segment list is swapped, then the files are renamed
    /// <c>.deleted</c>. In that order a reader either finds the old list, whose segments stay readable until their
    /// files are deleted, or sees the new start offset.
    /// </summary>
    private void RemoveSegments(IReadOnlyCollection<LogSegment> toRemove)
    {
        var remaining = _segments.Where(segment => !toRemove.Contains(segment)).ToArray();
        if (remaining.Length == 0)
        {
            throw new InvalidOperationException($"Removing every segment of {TopicPartition} would leave no active segment.");
        }
        if (remaining[0].BaseOffset > _logStartOffset)
        {
            Volatile.Write(ref _logStartOffset, remaining[0].BaseOffset);
        }
        _epochs.TruncateFromStart(_logStartOffset);
        if (HighWatermark < _logStartOffset)
        {
            Volatile.Write(ref _highWatermark, _logStartOffset);
        }
        Volatile.Write(ref _segments, remaining);
        foreach (var segment in toRemove)
        {
            segment.MarkDeleted();
        }
        Producers.ProducerSnapshotFiles.DeleteBelow(Directory, remaining[0].BaseOffset);
    }

    private static int CountDeletable(LogSegment[] segments, long nowMs, LogConfig config, long logStartOffset, long highWatermark, long logEndOffset, out string reason)
    {
        var deletePolicy = config.DeletePolicy;
        var sizeLimited = deletePolicy && config.RetentionBytes >= 0;
        var bytesOverLimit = sizeLimited ? segments.Sum(segment => (long)segment.Size) - config.RetentionBytes : 0;
        var reasons = new SortedSet<string>(StringComparer.Ordinal);
        var count = 0;
        for (; count < segments.Length; count++)
        {
            var segment = segments[count];
            var isActive = count == segments.Length - 1;
            var upperBound = isActive ? logEndOffset : segments[count + 1].BaseOffset;
            // Above the high watermark records may still be truncated by a new leader; Kafka keeps them. An empty
            // active segment holds nothing to delete.
            if (upperBound > highWatermark || (isActive && segment.Size == 0))
            {
                break;
            }
            if (upperBound <= logStartOffset)
            {
                reasons.Add("log start offset");
            }
            else if (deletePolicy && config.RetentionMs >= 0 && nowMs - LargestTimestamp(segment) > config.RetentionMs)
            {
                reasons.Add("retention.ms");
            }
            else if (sizeLimited && bytesOverLimit - segment.Size >= 0)
            {
                reasons.Add("retention.bytes");
            }
            else
            {
                break;
            }
            bytesOverLimit -= segment.Size;
        }
        reason = string.Join(", ", reasons);
        return count;
    }

    /// <summary>The segment's largest record timestamp; a segment without timestamps ages by its file's last write, as in Kafka.</summary>
    private static long LargestTimestamp(LogSegment segment)
    {
        var timestamp = segment.MaxTimestampAndOffset.Timestamp;
        return timestamp >= 0 ? timestamp : new DateTimeOffset(File.GetLastWriteTimeUtc(segment.LogPath)).ToUnixTimeMilliseconds();
    }
}
