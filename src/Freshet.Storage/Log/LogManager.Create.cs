using Freshet.Protocol.Primitives;
using Freshet.Storage.Checkpoints;
using Freshet.Storage.IO;
using Freshet.Storage.Recovery;

namespace Freshet.Storage;

public sealed partial class LogManager
{
    /// <summary>How many partition directories are created, and fsynced, at once.</summary>
    private const int CreateParallelism = 32;

    /// <summary>
    /// Creates the logs of partitions of one topic, or returns those that exist with the same topic id, in the order
    /// given. New partitions are spread over the log dirs that are online, fewest logs first.
    /// </summary>
    /// <remarks>
    /// Each new partition costs two fsyncs (its partition.metadata and its directory) and each log dir one more. The
    /// directories are made on parallel threads of their own (<see cref="BlockingParallel"/>) so that the file system
    /// folds their fsyncs into shared journal commits: one at a time, 10,000 partitions would wait for tens of
    /// thousands of commits in a row.
    /// </remarks>
    public IReadOnlyList<PartitionLog> CreateLogs(IReadOnlyList<TopicPartition> partitions, KafkaUuid topicId, LogConfig config)
    {
        lock (_lifecycleLock)
        {
            ThrowIfNotLoaded();
            var result = new PartitionLog[partitions.Count];
            var toCreate = new List<(int Index, string LogDir)>();
            var logsPerDir = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var dir in _logDirs)
                logsPerDir[dir] = 0;
            foreach (var log in _logs.Values)
                logsPerDir[log.LogDir] = logsPerDir.GetValueOrDefault(log.LogDir) + 1;

            for (var i = 0; i < partitions.Count; i++)
            {
                if (_logs.TryGetValue(partitions[i], out var existing))
                {
                    result[i] = existing.TopicId == topicId
                        ? existing
                        : throw new InvalidOperationException($"{partitions[i]} exists with topic id {existing.TopicId}, not {topicId}.");
                    continue;
                }

                if (toCreate.Count == 0)
                    config.Validate();
                var logDir = LeastLoadedOnlineDir(logsPerDir);
                logsPerDir[logDir]++;
                toCreate.Add((i, logDir));
            }

            if (toCreate.Count == 0)
                return result;

            var created = new PartitionLog?[toCreate.Count];
            var failure = BlockingParallel.For(toCreate.Count, CreateParallelism, n =>
            {
                var (index, logDir) = toCreate[n];
                created[n] = CreatePartitionDirectory(partitions[index], topicId, config, logDir);
            });

            // Partitions whose directories were made are kept, so that memory matches the disk even when one failed.
            var dirsToSync = new HashSet<string>(StringComparer.Ordinal);
            for (var n = 0; n < toCreate.Count; n++)
            {
                if (created[n] is not { } log)
                    continue;
                var (index, logDir) = toCreate[n];
                log.Health = _health[logDir];
                _logs[partitions[index]] = log;
                result[index] = log;
                dirsToSync.Add(logDir);
                StorageLog.CreatedLog(_logger, partitions[index], logDir);
            }

            foreach (var dir in dirsToSync)
                DirectorySync.Fsync(dir);
            failure?.Throw();
            return result;
        }
    }

    private string LeastLoadedOnlineDir(Dictionary<string, int> logsPerDir)
    {
        string? best = null;
        foreach (var dir in _logDirs)
        {
            if (!_health[dir].IsOffline && (best is null || logsPerDir[dir] < logsPerDir[best]))
                best = dir;
        }

        return best ?? throw new KafkaStorageException($"Every log dir is offline ({_logDirsText}).");
    }

    // The partition directory and its files, durable except for the directory's own entry in the log dir, which
    // the caller syncs once for the whole batch.
    private PartitionLog CreatePartitionDirectory(TopicPartition tp, KafkaUuid topicId, LogConfig config, string logDir)
    {
        var partitionDir = Path.Combine(logDir, tp.DirectoryName);
        System.IO.Directory.CreateDirectory(partitionDir);
        PartitionMetadataFile.Write(partitionDir, topicId, syncDirectory: false);
        var log = LogLoader.Create(partitionDir, tp, topicId, config, _logger, _time);
        DirectorySync.Fsync(partitionDir);
        return log;
    }
}
