using Freshet.Storage.Segments;

namespace Freshet.Storage;

public sealed partial class LogManager
{
    private readonly object _pendingDeletesLock = new();
    private readonly List<PendingSegmentDelete> _pendingDeletes = [];

    /// <summary>Segments out of their logs whose <c>.deleted</c> files are still open for reads under way.</summary>
    public int PendingSegmentDeletes
    {
        get
        {
            lock (_pendingDeletesLock)
            {
                return _pendingDeletes.Count;
            }
        }
    }

    /// <summary>
    /// One retention pass over every log (the broker runs it every log.retention.check.interval.ms): deletes whole
    /// segments past retention.ms, retention.bytes or below the log start offset, then removes the <c>.deleted</c>
    /// files whose file.delete.delay.ms has passed. A log whose files cannot be renamed is logged and skipped.
    /// Returns the number of segments taken out of logs.
    /// </summary>
    public int RunRetention()
    {
        var deleted = 0;
        lock (_lifecycleLock)
        {
            ThrowIfNotLoaded();
            foreach (var log in _logs.Values)
            {
                var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
                try
                {
                    var removed = log.DeleteOldSegments(now);
                    if (removed.Count > 0)
                    {
                        ScheduleDelete(removed, now + log.Config.FileDeleteDelayMs);
                        deleted += removed.Count;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    StorageLog.RetentionFailed(_logger, e, log.TopicPartition);
                }
            }
        }
        DeleteDueSegmentFiles();
        return deleted;
    }

    /// <summary>Closes and removes the <c>.deleted</c> files whose file.delete.delay.ms has passed; returns how many segments went.</summary>
    public int DeleteDueSegmentFiles()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        List<PendingSegmentDelete> due;
        lock (_pendingDeletesLock)
        {
            due = _pendingDeletes.FindAll(pending => pending.DueMs <= now);
            _pendingDeletes.RemoveAll(pending => pending.DueMs <= now);
        }
        DeleteFiles(due);
        return due.Count;
    }

    private void ScheduleDelete(IReadOnlyList<LogSegment> segments, long dueMs)
    {
        lock (_pendingDeletesLock)
        {
            _pendingDeletes.AddRange(segments.Select(segment => new PendingSegmentDelete(segment, dueMs)));
        }
    }

    /// <summary>At shutdown no read is under way, so every pending file goes now.</summary>
    private void DeleteAllPendingSegmentFiles()
    {
        List<PendingSegmentDelete> all;
        lock (_pendingDeletesLock)
        {
            all = [.. _pendingDeletes];
            _pendingDeletes.Clear();
        }
        DeleteFiles(all);
    }

    private void DeleteFiles(List<PendingSegmentDelete> pending)
    {
        foreach (var (segment, _) in pending)
        {
            try
            {
                // The partition directory may be gone already (the topic was deleted meanwhile).
                segment.DeleteMarkedFiles();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                StorageLog.SegmentDeleteFailed(_logger, e, segment.LogPath);
            }
        }
    }

    private readonly record struct PendingSegmentDelete(LogSegment Segment, long DueMs);
}
