using Freshet.Storage.IO;
using Microsoft.Extensions.Logging;

namespace Freshet.Storage;

/// <summary>
/// Whether a log dir is still usable, shared by every log in it (Kafka's LogDirFailureChannel): the first I/O
/// error takes the whole dir offline, because a disk that failed one write cannot be trusted with the next, and
/// its partitions answer KAFKA_STORAGE_ERROR from then on while other dirs keep serving.
/// </summary>
internal sealed class LogDirHealth(string logDir, DiskFaults? faults, ILogger logger)
{
    private volatile bool _offline;

    public string LogDir { get; } = logDir;

    public bool IsOffline => _offline;

    public void ThrowIfOffline(TopicPartition tp)
    {
        if (_offline)
        {
            throw new KafkaStorageException($"{tp} is in offline log dir '{LogDir}'.");
        }
    }

    /// <summary>The faulty-disk hook: throws when a test failed this dir.</summary>
    public void InjectFault(string operation) => faults?.ThrowIfFailing(LogDir, operation);

    /// <summary>Before an append writes its record bytes: a test may stall it, as a slow disk would.</summary>
    public void InjectWriteStall() => faults?.StallIfHeld(LogDir);

    /// <summary>Takes the dir offline and returns the error to throw in place of <paramref name="error"/>.</summary>
    public KafkaStorageException Fail(TopicPartition tp, string operation, IOException error)
    {
        if (!_offline)
        {
            _offline = true;
            StorageLog.LogDirOffline(logger, error, LogDir, tp, operation);
        }
        return error as KafkaStorageException ?? new KafkaStorageException($"{operation} of {tp} failed; log dir '{LogDir}' is offline: {error.Message}", error);
    }
}
