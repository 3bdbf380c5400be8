using Freshet.Protocol.Primitives;
using Freshet.Storage.Checkpoints;
using Freshet.Storage.Epochs;
using Freshet.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace Freshet.Storage.Recovery;

/// <summary>What the log dir's checkpoints say about one partition; null where they say nothing.</summary>
internal readonly record struct LogCheckpoints(long? RecoveryPoint, long? LogStartOffset, long? HighWatermark, bool CleanShutdown);

/// <summary>
/// Opens a partition directory. Segments below the recovery point are trusted and opened without reading them;
/// from the segment holding the recovery point on, batches are re-read and checked and the log is truncated at
/// the first invalid one, so start-up time follows the unflushed tail. After a clean shutdown the recovery point
/// is the log end and only the last index interval of the active segment is read.
/// </summary>
internal static class LogLoader
{
    public static PartitionLog Create(string partitionDir, TopicPartition tp, KafkaUuid topicId, LogConfig config, ILogger logger, TimeProvider time)
    {
        var segment = LogSegment.Create(partitionDir, 0, config, logger);
        return new PartitionLog(tp, topicId, config, partitionDir, [segment], 0, 0, 0, logger, time, LeaderEpochCacheLoader.Empty(partitionDir));
    }

    public static PartitionLog Load(string partitionDir, TopicPartition tp, LogConfig config, LogCheckpoints checkpoints, ILogger logger, TimeProvider time)
    {
        LeftoverFiles.Clean(partitionDir, logger);
        var topicId = PartitionMetadataFile.Read(partitionDir);
        var baseOffsets = System.IO.Directory.EnumerateFiles(partitionDir, "*" + LogFileNames.LogSuffix)
            .Select(path => LogFileNames.TryParseBaseOffset(Path.GetFileName(path), LogFileNames.LogSuffix, out var offset) ? offset : -1)
            .Where(offset => offset >= 0)
            .Order()
            .ToList();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var epochs = LeaderEpochCacheLoader.Open(partitionDir, logger, out var rebuildEpochs);
        if (baseOffsets.Count == 0)
        {
            var start = checkpoints.LogStartOffset ?? 0;
            var empty = LogSegment.Create(partitionDir, start, config, logger);
            epochs.TruncateFromEnd(start, persist: false);
            epochs.PersistIfChanged();
            return new PartitionLog(tp, topicId, config, partitionDir, [empty], start, start, start, logger, time, epochs);
        }

        var segments = new List<LogSegment>(baseOffsets.Count);
        for (var i = 0; i < baseOffsets.Count; i++)
        {
            var segment = LogSegment.Open(partitionDir, baseOffsets[i], config, logger);
            if (i + 1 < baseOffsets.Count)
            {
                segment.NextOffset = baseOffsets[i + 1];
            }
            segments.Add(segment);
        }

        var trustBelow = checkpoints is { CleanShutdown: true, RecoveryPoint: not null } ? long.MaxValue : checkpoints.RecoveryPoint ?? 0;
        var first = FloorIndex(segments, trustBelow);
        if (rebuildEpochs)
        {
            // Recovery reads the batches from the recovery point on; the epochs of those before it come from their headers.
            for (var i = 0; i < first; i++)
            {
                ReadEpochs(segments[i], epochs);
            }
        }
        for (var i = first; i < segments.Count; i++)
        {
            var result = segments[i].Recover(trustBelow, now, epochs, fromStart: rebuildEpochs && i == first);
            if (result.Fault is null)
            {
                continue;
            }
            StorageLog.TruncatedSegment(logger, segments[i].LogPath, result.TruncatedBytes, result.Fault);
            for (var j = segments.Count - 1; j > i; j--)
            {
                DeleteSegmentFiles(segments[j], logger);
                segments.RemoveAt(j);
            }
        }
        if (trustBelow != long.MaxValue)
        {
            for (var i = first; i < segments.Count; i++)
            {
                segments[i].Flush();
            }
        }
        var active = segments[^1];
        active.BecomeActive();
        var logEndOffset = active.NextOffset;
        var producers = ProducerStateLoader.Load(partitionDir, segments, logEndOffset, logger);
        // The checkpoint is written ahead of the data, so a crash can leave epochs whose batches never reached the disk.
        epochs.TruncateFromEnd(logEndOffset, persist: false);
        epochs.PersistIfChanged(force: rebuildEpochs);
        if (rebuildEpochs)
        {
            StorageLog.RebuiltEpochCache(logger, tp, epochs.Entries.Count);
        }
        StorageLog.LoadedLog(logger, tp, segments.Count, checkpoints.LogStartOffset ?? segments[0].BaseOffset, logEndOffset, trustBelow == long.MaxValue ? logEndOffset : trustBelow);
        return new PartitionLog(
            tp,
            topicId,
            config,
            partitionDir,
            [.. segments],
            checkpoints.LogStartOffset ?? segments[0].BaseOffset,
            logEndOffset,
            checkpoints.HighWatermark ?? 0,
            logger,
            time,
            epochs,
            producers);
    }

    private static void ReadEpochs(LogSegment segment, LeaderEpochCache epochs)
    {
        foreach (var (header, _) in segment.BatchesFrom(segment.BaseOffset))
        {
            if (header.PartitionLeaderEpoch > epochs.LatestEpoch)
            {
                epochs.Assign(header.PartitionLeaderEpoch, header.BaseOffset, persist: false);
            }
        }
    }

    private static int FloorIndex(List<LogSegment> segments, long offset)
    {
        var index = 0;
        while (index + 1 < segments.Count && segments[index + 1].BaseOffset <= offset)
        {
            index++;
        }
        return index;
    }

    private static void DeleteSegmentFiles(LogSegment segment, ILogger logger)
    {
        segment.Dispose();
        File.Delete(segment.LogPath);
        File.Delete(LogFileNames.IndexFile(segment.Directory, segment.BaseOffset));
        File.Delete(LogFileNames.TimeIndexFile(segment.Directory, segment.BaseOffset));
        File.Delete(LogFileNames.TxnIndexFile(segment.Directory, segment.BaseOffset));
        StorageLog.DeletedSegmentAfterTruncation(logger, segment.LogPath);
    }
}
