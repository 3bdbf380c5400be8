using Microsoft.Extensions.Logging;

namespace Freshet.Storage.Recovery;

/// <summary>
/// Finishes or undoes file operations a crash interrupted, before segments load: temp files and segments marked
/// <c>.deleted</c> or <c>.cleaned</c> (an unfinished clean) are removed; a <c>.swap</c> file is a finished clean
/// and replaces the original.
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
            else if (path.EndsWith(LogFileNames.SwapSuffix, StringComparison.Ordinal))
            {
                File.Move(path, path[..^LogFileNames.SwapSuffix.Length], overwrite: true);
                StorageLog.RemovedLeftover(logger, path);
            }
        }
    }
}
