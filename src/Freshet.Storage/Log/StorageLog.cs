using Microsoft.Extensions.Logging;

namespace Freshet.Storage;

/// <summary>Freshet.Storage's log messages: Information for lifecycle, Warning for recovered faults, Debug per checkpoint.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Loaded {Count} logs in {ElapsedMs} ms from {LogDirs}")]
    public static partial void LoadedLogs(ILogger logger, int count, long elapsedMs, string logDirs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Log dir {LogDir} was not shut down cleanly; recovering unflushed tails")]
    public static partial void UncleanShutdown(ILogger logger, string logDir);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Created log {TopicPartition} in {LogDir}")]
    public static partial void CreatedLog(ILogger logger, TopicPartition topicPartition, string logDir);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Deleted log {TopicPartition}; its directory is renamed to {Directory} and deleted in the background")]
    public static partial void DeletedLog(ILogger logger, TopicPartition topicPartition, string directory);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Shut down {Count} logs cleanly")]
    public static partial void ShutDown(ILogger logger, int count);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Created meta.properties in {LogDir} with cluster id {ClusterId}")]
    public static partial void CreatedMetaProperties(ILogger logger, string logDir, string clusterId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Loaded log {TopicPartition}: segments {Segments}, log start {LogStartOffset}, log end {LogEndOffset}, re-read from {RecoveryPoint}")]
    public static partial void LoadedLog(ILogger logger, TopicPartition topicPartition, int segments, long logStartOffset, long logEndOffset, long recoveryPoint);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Storage starting: log dirs {LogDirs}, node {NodeId}, cluster {ClusterId}")]
    public static partial void Started(ILogger logger, string logDirs, int nodeId, string clusterId);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Truncated {Segment} by {Bytes} bytes at the first invalid batch ({Fault})")]
    public static partial void TruncatedSegment(ILogger logger, string segment, long bytes, string fault);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Deleted segment {Segment} after a truncation earlier in the log")]
    public static partial void DeletedSegmentAfterTruncation(ILogger logger, string segment);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Rebuilding the {Kind} indexes of {Segment}")]
    public static partial void RebuildingIndexCore(ILogger logger, string kind, string segment);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Removed leftover file {Path}")]
    public static partial void RemovedLeftover(ILogger logger, string path);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Could not delete {Directory} in the background")]
    public static partial void BackgroundDeleteFailed(ILogger logger, Exception exception, string directory);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Rolled {TopicPartition} to a new segment at offset {BaseOffset} ({Reason})")]
    public static partial void Rolled(ILogger logger, TopicPartition topicPartition, long baseOffset, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Checkpointed {Count} logs in {LogDir}")]
    public static partial void Checkpointed(ILogger logger, int count, string logDir);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Ignoring unreadable checkpoint {Path}; its logs are re-read from the start")]
    public static partial void UnreadableCheckpoint(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Log dir {LogDir} is offline after an I/O error in {Operation} of {TopicPartition}; its partitions answer KAFKA_STORAGE_ERROR")]
    public static partial void LogDirOffline(ILogger logger, Exception exception, string logDir, TopicPartition topicPartition, string operation);
    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Deleted {Count} segments of {TopicPartition} ({Reason}); the log now starts at {LogStartOffset}")]
    public static partial void DeletedSegments(ILogger logger, TopicPartition topicPartition, int count, long logStartOffset, string reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Moved the log start offset of {TopicPartition} to {LogStartOffset} ({Reason})")]
    public static partial void MovedLogStartOffset(ILogger logger, TopicPartition topicPartition, long logStartOffset, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Could not delete the files of segment {Segment}")]
    public static partial void SegmentDeleteFailed(ILogger logger, Exception exception, string segment);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Retention of {TopicPartition} failed")]
    public static partial void RetentionFailed(ILogger logger, Exception exception, TopicPartition topicPartition);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Ignoring unreadable producer snapshot {Path}: {Reason}")]
    public static partial void UnreadableSnapshot(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Loaded producer state of {Directory}: {Producers} producers, {Replayed} batches replayed from offset {From}")]
    public static partial void LoadedProducerStateCore(ILogger logger, string directory, int producers, long from, int replayed);

    public static void LoadedProducerState(ILogger logger, string directory, int producers, long from, int replayed) =>
        LoadedProducerStateCore(logger, directory, producers, from, replayed);

    public static void RebuildingIndex(ILogger logger, string segment, string kind) => RebuildingIndexCore(logger, kind, segment);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Ignoring unreadable leader epoch checkpoint {Path} ({Reason}); rebuilding it from the batches")]
    public static partial void UnreadableEpochCheckpoint(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Rebuilt the leader epoch cache of {TopicPartition} from its batches: {Entries} epochs")]
    public static partial void RebuiltEpochCache(ILogger logger, TopicPartition topicPartition, int entries);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Truncated {TopicPartition} to offset {Offset}: the log now ends at {LogEndOffset}, {RemovedSegments} segments removed")]
    public static partial void Truncated(ILogger logger, TopicPartition topicPartition, long offset, long logEndOffset, int removedSegments);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Truncated {TopicPartition} fully ({RemovedSegments} segments removed); the log starts again at {LogStartOffset}")]
    public static partial void TruncatedFully(ILogger logger, TopicPartition topicPartition, long logStartOffset, int removedSegments);
}
