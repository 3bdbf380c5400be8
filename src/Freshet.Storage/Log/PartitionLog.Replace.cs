using Freshet.Storage.IO;
using Freshet.Storage.Segments;

namespace Freshet.Storage;

public sealed partial class PartitionLog
{
    private readonly List<RetiredSegment> _retired = [];

    /// <summary>
    /// Swaps a cleaned copy of an inactive segment in for the original, keeping its base offset. The file steps are
    /// ordered so that a crash at any point leaves the original or the cleaned copy, never a mix:
    /// <c>B.log.cleaned</c> → <c>B.log.swap</c> (the commit point: the loader finishes any swap it finds), the old
    /// indexes are unlinked (the cleaned log's are rebuilt from it), then <c>B.log.swap</c> → <c>B.log</c>. Readers
    /// that hold the old segment keep reading its open files until it is closed after file.delete.delay.ms.
    /// False, and the cleaned file removed, when the segment is no longer an inactive segment of this log, or the
    /// log was truncated since the cleaner read it (<paramref name="truncations"/>): the segment may hold other batches now.
    /// </summary>
    internal bool ReplaceSegment(LogSegment old, string cleanedLogPath, long truncations)
    {
        lock (_appendLock)
        {
            var index = Array.IndexOf(_segments, old);
            if (_closed || index < 0 || index == _segments.Length - 1 || truncations != _truncations)
            {
                File.Delete(cleanedLogPath);
                return false;
            }
            var swapPath = old.LogPath + LogFileNames.SwapSuffix;
            File.Move(cleanedLogPath, swapPath, overwrite: true);
            DirectorySync.Fsync(Directory);
            old.DetachIndexFiles();
            File.Delete(LogFileNames.IndexFile(Directory, old.BaseOffset));
            File.Delete(LogFileNames.TimeIndexFile(Directory, old.BaseOffset));
            File.Move(swapPath, old.LogPath, overwrite: true);
            DirectorySync.Fsync(Directory);
            var replacement = LogSegment.OpenReplacement(Directory, old.BaseOffset, Config, _logger, old.NextOffset);
            ReplaceSegments([old], [replacement]);
            Retire(old);
            return true;
        }
    }

    /// <summary>
    /// The one place (besides a roll) that changes the segment list: <paramref name="old"/>, contiguous in the
    /// list, is replaced by <paramref name="replacements"/>. The caller holds the append lock; readers see the old
    /// or the new array, never a partial one.
    /// </summary>
    private void ReplaceSegments(IReadOnlyList<LogSegment> old, IReadOnlyList<LogSegment> replacements)
    {
        var first = Array.IndexOf(_segments, old[0]);
        LogSegment[] updated = [.. _segments[..first], .. replacements, .. _segments[(first + old.Count)..]];
        Volatile.Write(ref _segments, updated);
    }

    /// <summary>
    /// Closes a segment no longer in the list after file.delete.delay.ms, so in-flight reads finish first; with
    /// <paramref name="deleteFiles"/> (a segment marked <c>.deleted</c>) its files go then too.
    /// </summary>
    private void Retire(LogSegment segment, bool deleteFiles = false)
    {
        var retired = new RetiredSegment(segment, deleteFiles);
        _retired.Add(retired);
        _ = Task.Delay(TimeSpan.FromMilliseconds(Config.FileDeleteDelayMs), _time).ContinueWith(
            _ =>
            {
                lock (_appendLock)
                {
                    if (_retired.Remove(retired))
                    {
                        retired.Close();
                    }
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void DisposeRetired()
    {
        foreach (var retired in _retired)
        {
            retired.Close();
        }
        _retired.Clear();
    }

    private sealed record RetiredSegment(LogSegment Segment, bool DeleteFiles)
    {
        public void Close()
        {
            if (DeleteFiles)
            {
                Segment.DeleteMarkedFiles();
            }
            else
            {
                Segment.Dispose();
            }
        }
    }
}
