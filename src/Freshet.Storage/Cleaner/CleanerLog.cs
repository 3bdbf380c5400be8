using Microsoft.Extensions.Logging;

namespace Freshet.Storage.Cleaner;

/// <summary>The cleaner's log messages: Information per clean and lifecycle, Warning for a clean that failed.</summary>
internal static partial class CleanerLog
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Log cleaner started: {Threads} threads, backoff {BackoffMs} ms")]
    public static partial void Started(ILogger logger, int threads, long backoffMs);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Cleaned {TopicPartition}: {Segments} segments below offset {EndOffset}, {Keys} dirty keys, {BytesRead} bytes read, {BytesWritten} bytes kept, dirty ratio {DirtyRatio:F2}, {ElapsedMs} ms")]
    public static partial void Cleaned(ILogger logger, TopicPartition topicPartition, int segments, long endOffset, int keys, long bytesRead, long bytesWritten, double dirtyRatio, long elapsedMs);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Debug, Message = "Stopped cleaning {TopicPartition}: its segments changed underneath (retention, truncation or deletion)")]
    public static partial void Abandoned(ILogger logger, TopicPartition topicPartition);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "Log cleaning failed; the log is retried after the backoff")]
    public static partial void Failed(ILogger logger, Exception exception);
}
