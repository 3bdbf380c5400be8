using Freshet.Storage.Checkpoints;

namespace Freshet.Storage;

public sealed partial class LogManager
{
    /// <summary>
    /// Writes the three offset checkpoints of every log dir. The recovery point only ever covers fsynced data
    /// (it moves after the fsync), so the checkpoint never points past what is durable.
    /// </summary>
    public void CheckpointAll()
    {
        lock (_lifecycleLock)
        {
            ThrowIfNotLoaded();
            WriteCheckpoints();
        }
    }

    private void WriteCheckpoints()
    {
        var logs = _logs.Values.ToList();
        // Checkpoints of an offline dir stay as they were: its logs' offsets are no longer trusted.
        foreach (var dir in _logDirs.Where(dir => !_health[dir].IsOffline))
        {
            var inDir = logs.Where(log => log.LogDir == dir).ToList();
            OffsetCheckpointFile.Write(
                Path.Combine(dir, LogFileNames.RecoveryPointCheckpoint),
                inDir.Select(log => KeyValuePair.Create(log.TopicPartition, log.RecoveryPoint)));
            OffsetCheckpointFile.Write(
                Path.Combine(dir, LogFileNames.LogStartOffsetCheckpoint),
                inDir.Select(log => KeyValuePair.Create(log.TopicPartition, log.LogStartOffset)));
            OffsetCheckpointFile.Write(
                Path.Combine(dir, LogFileNames.ReplicationOffsetCheckpoint),
                inDir.Select(log => KeyValuePair.Create(log.TopicPartition, log.HighWatermark)));
            StorageLog.Checkpointed(_logger, inDir.Count, dir);
        }
    }
}
