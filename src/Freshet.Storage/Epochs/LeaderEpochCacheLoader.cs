using Microsoft.Extensions.Logging;

namespace Freshet.Storage.Epochs;

/// <summary>Opens a partition's epoch cache from its checkpoint when the log loads.</summary>
internal static class LeaderEpochCacheLoader
{
    /// <summary>
    /// The cache as the checkpoint has it. <paramref name="needsRebuild"/> is true when the file is missing or does
    /// not parse: the cache then starts empty and the loader fills it from the batch headers it reads.
    /// </summary>
    public static LeaderEpochCache Open(string partitionDir, ILogger logger, out bool needsRebuild)
    {
        var path = LeaderEpochCheckpointFile.PathFor(partitionDir);
        try
        {
            var entries = LeaderEpochCheckpointFile.Read(path);
            needsRebuild = entries is null;
            return new LeaderEpochCache(path, entries ?? []);
        }
        catch (InvalidDataException e)
        {
            StorageLog.UnreadableEpochCheckpoint(logger, path, e.Message);
            needsRebuild = true;
            return new LeaderEpochCache(path, []);
        }
    }

    /// <summary>A new log's cache: no entries and no file until the first epoch is assigned.</summary>
    public static LeaderEpochCache Empty(string partitionDir) => new(LeaderEpochCheckpointFile.PathFor(partitionDir), []);
}
