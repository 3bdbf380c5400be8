using Microsoft.Extensions.Logging;

namespace Freshet.Storage.Recovery;

/// <summary>
/// Finishes or undoes file operations a crash interrupted, before segments load: temp files and segments marked
/// <c>.deleted</c> or <c>.cleaned</c> (an unfinished clean) are removed. A <c>B.log.swap</c> is a finished clean
/// (see PartitionLog.ReplaceSegment): the original's indexes are removed, to be rebuilt from the cleaned log, and
/// the swap file replaces the original. Any other <c>.swap</c> file belongs to no committed swap and is removed.
/// </summary>
internal static class LeftoverFiles
{
    public static void Clean(string partitionDir, ILogger logger)
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(partitionDir))
        {
            if (path.EndsWith(LogFileNames.DeletedSuffix, StringComparison.Ordinal)
                || path.EndsWith(LogFileNames.CleanedSuffix, StringComparison.Ordinal)
                || path.EndsWith(LogFileNames.TempSuffix, StringComparison.Ordinal))
            {
                File.Delete(path);
                StorageLog.RemovedLeftover(logger, path);
            }
        }
        foreach (var path in System.IO.Directory.EnumerateFiles(partitionDir, "*" + LogFileNames.SwapSuffix))
        {
            var original = path[..^LogFileNames.SwapSuffix.Length];
            if (LogFileNames.TryParseBaseOffset(Path.GetFileName(original), LogFileNames.LogSuffix, out var baseOffset))
            {
                File.Delete(LogFileNames.IndexFile(partitionDir, baseOffset));
                File.Delete(LogFileNames.TimeIndexFile(partitionDir, baseOffset));
                File.Move(path, original, overwrite: true);
            }
            else
            {
                File.Delete(path);
            }
            StorageLog.RemovedLeftover(logger, path);
        }
    }
}
