namespace Freshet.Storage.Segments;

internal sealed partial class LogSegment
{
    private volatile bool _markedDeleted;

    /// <summary>Renamed to <c>.deleted</c>: out of the log, its files waiting for file.delete.delay.ms to pass.</summary>
    public bool IsMarkedDeleted => _markedDeleted;

    /// <summary>
    /// Renames the segment's files with the <c>.deleted</c> suffix. The log's handle stays open, so a fetch that found
    /// the segment before it left the log still reads its bytes; the indexes are loaded first, because a lazy load
    /// after the rename would recreate them under the live names, and follow their files to the new names. A crash from here on is finished by start-up, which
    /// removes every <c>.deleted</c> file.
    /// </summary>
    public void MarkDeleted()
    {
        lock (_indexLoadLock)
        {
            if (_markedDeleted)
            {
                return;
            }
            EnsureIndexesLoaded();
            BecomeInactive();
            _markedDeleted = true;
            foreach (var path in SegmentFilePaths())
            {
                if (File.Exists(path))
                {
                    File.Move(path, path + LogFileNames.DeletedSuffix, overwrite: true);
                }
            }
            TxnIndex.Renamed(TxnIndex.Path + LogFileNames.DeletedSuffix);
            _offsetIndex!.Renamed(LogFileNames.IndexFile(Directory, BaseOffset) + LogFileNames.DeletedSuffix);
            _timeIndex!.Renamed(LogFileNames.TimeIndexFile(Directory, BaseOffset) + LogFileNames.DeletedSuffix);
        }
    }

    /// <summary>
    /// The offset and time index files are about to be unlinked so that a replacement segment can rebuild its own
    /// under the same names: this segment keeps serving lookups from memory but never writes those files again.
    /// </summary>
    public void DetachIndexFiles()
    {
        lock (_indexLoadLock)
        {
            EnsureIndexesLoaded();
            _offsetIndex!.Detach();
            _timeIndex!.Detach();
        }
    }

    /// <summary>Closes the handles and removes the <c>.deleted</c> files (after file.delete.delay.ms, or at shutdown).</summary>
    public void DeleteMarkedFiles()
    {
        Dispose();
        foreach (var path in SegmentFilePaths())
        {
            File.Delete(path + LogFileNames.DeletedSuffix);
        }
    }

    private string[] SegmentFilePaths() =>
    [
        LogFileNames.LogFile(Directory, BaseOffset),
        LogFileNames.IndexFile(Directory, BaseOffset),
        LogFileNames.TimeIndexFile(Directory, BaseOffset),
        LogFileNames.TxnIndexFile(Directory, BaseOffset),
    ];
}
