using Freshet.Protocol.Primitives;
using Freshet.Storage.Checkpoints;
using Freshet.Storage.Recovery;

namespace Freshet.Storage;

public sealed partial class LogManager
{
    private void LoadLogDir(string dir, Func<TopicPartition, LogConfig> configFor)
    {
        var clean = _cleanShutdown[dir];
        if (!clean)
        {
            StorageLog.UncleanShutdown(_logger, dir);
        }
        var recoveryPoints = ReadCheckpoint(Path.Combine(dir, LogFileNames.RecoveryPointCheckpoint));
        var logStartOffsets = ReadCheckpoint(Path.Combine(dir, LogFileNames.LogStartOffsetCheckpoint));
        var highWatermarks = ReadCheckpoint(Path.Combine(dir, LogFileNames.ReplicationOffsetCheckpoint));
        foreach (var partitionDir in System.IO.Directory.EnumerateDirectories(dir))
        {
            var name = Path.GetFileName(partitionDir);
            if (name.EndsWith(LogFileNames.DeleteDirSuffix, StringComparison.Ordinal))
            {
                DeleteInBackground(partitionDir);
                continue;
            }
            if (name == LogFileNames.ClusterMetadataDir || !TopicPartition.TryParseDirectoryName(name, out var tp))
            {
                continue;
            }
            if (_logs.TryGetValue(tp, out var duplicate))
            {
                throw new InvalidOperationException($"{tp} is in both '{duplicate.LogDir}' and '{dir}'.");
            }
            var checkpoints = new LogCheckpoints(
                recoveryPoints.TryGetValue(tp, out var recoveryPoint) ? recoveryPoint : null,
                logStartOffsets.TryGetValue(tp, out var logStart) ? logStart : null,
                highWatermarks.TryGetValue(tp, out var highWatermark) ? highWatermark : null,
                clean);
            var log = LogLoader.Load(partitionDir, tp, configFor(tp).Validate(), checkpoints, _logger, _time);
            log.Health = _health[dir];
            _logs[tp] = log;
        }
    }

    /// <summary>A checkpoint that does not parse counts as absent: recovery then re-reads more, never less.</summary>
    private Dictionary<TopicPartition, long> ReadCheckpoint(string path)
    {
        try
        {
            return OffsetCheckpointFile.Read(path);
        }
        catch (InvalidDataException e)
        {
            StorageLog.UnreadableCheckpoint(_logger, e, path);
            return [];
        }
    }

    /// <summary>Every log dir carries the same cluster id and node id; dirs without meta.properties get one.</summary>
    private string LoadOrCreateMetaProperties()
    {
        var existing = _logDirs.Select(dir => (Dir: dir, Meta: MetaProperties.Read(dir))).ToList();
        string? clusterId = null;
        foreach (var (dir, meta) in existing)
        {
            if (meta is null)
            {
                continue;
            }
            if (meta.NodeId != _options.NodeId)
            {
                throw new InvalidOperationException($"'{dir}' belongs to node {meta.NodeId}, not {_options.NodeId}.");
            }
            if (clusterId is not null && clusterId != meta.ClusterId)
            {
                throw new InvalidOperationException($"Log dirs disagree on the cluster id: {clusterId} and {meta.ClusterId} ('{dir}').");
            }
            clusterId = meta.ClusterId;
        }
        if (clusterId is not null && _options.ClusterId is not null && clusterId != _options.ClusterId)
        {
            throw new InvalidOperationException($"The log dirs belong to cluster {clusterId}, not {_options.ClusterId}.");
        }
        clusterId ??= _options.ClusterId ?? KafkaUuid.NewRandom().ToString();
        foreach (var (dir, meta) in existing)
        {
            if (meta is null)
            {
                new MetaProperties(MetaProperties.CurrentVersion, clusterId, _options.NodeId, KafkaUuid.NewRandom().ToString())
                    .Write(dir, _time.GetUtcNow());
                StorageLog.CreatedMetaProperties(_logger, dir, clusterId);
            }
        }
        return clusterId;
    }
}
