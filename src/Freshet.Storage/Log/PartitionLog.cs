using Freshet.Protocol.Primitives;
using Freshet.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace Freshet.Storage;

/// <summary>
/// The log of one partition: segments ordered by base offset, the last one active. Appends are serialised by
/// an append lock that covers only the write itself; reads take no lock and see what was published before
/// they started (segment list, then log end offset, then the segment's size).
/// </summary>
public sealed partial class PartitionLog
{
    private readonly object _appendLock = new();
    private readonly object _flushLock = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private LogSegment[] _segments;
    private LogConfig _config;
    private long _logEndOffset;
    private long _logStartOffset;
    private long _highWatermark;
    private long _recoveryPoint;
    private long _lastFlushMs;
    private bool _closed;

    internal PartitionLog(
        TopicPartition topicPartition,
        KafkaUuid topicId,
        LogConfig config,
        string directory,
        LogSegment[] segments,
        long logStartOffset,
        long recoveryPoint,
        long highWatermark,
        ILogger logger,
        TimeProvider time,
        Epochs.LeaderEpochCache epochs,
        Producers.ProducerStateManager? producers = null)
    {
        _producers = producers ?? new Producers.ProducerStateManager();
        _epochs = epochs;
        TopicPartition = topicPartition;
        TopicId = topicId;
        _config = config;
        Directory = directory;
        _segments = segments;
        _logEndOffset = segments[^1].NextOffset;
        _logStartOffset = Math.Clamp(logStartOffset, segments[0].BaseOffset, _logEndOffset);
        _recoveryPoint = Math.Min(recoveryPoint, _logEndOffset);
        _highWatermark = Math.Clamp(highWatermark, _logStartOffset, _logEndOffset);
        _logger = logger;
        _time = time;
        _lastFlushMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        Health = new LogDirHealth(LogDir, null, logger);
    }

    /// <summary>The health of the log dir, shared with its other logs; the log manager sets it after loading.</summary>
    internal LogDirHealth Health { get; set; }

    /// <summary>The log dir had an I/O error: every operation fails with <see cref="KafkaStorageException"/>.</summary>
    public bool IsOffline => Health.IsOffline;

    /// <summary>When the last fsync finished (for flush.ms), in Unix milliseconds.</summary>
    public long LastFlushMs => Volatile.Read(ref _lastFlushMs);

    public TopicPartition TopicPartition { get; }

    public KafkaUuid TopicId { get; }

    public LogConfig Config
    {
        get => Volatile.Read(ref _config);
        set => Volatile.Write(ref _config, (value ?? throw new ArgumentNullException(nameof(value))).Validate());
    }

    /// <summary>The partition directory.</summary>
    public string Directory { get; }

    /// <summary>The log dir holding <see cref="Directory"/>.</summary>
    public string LogDir => Path.GetDirectoryName(Directory) ?? throw new InvalidOperationException($"'{Directory}' has no parent.");

    /// <summary>
    /// The first offset readers may see; persisted in log-start-offset-checkpoint. It only moves forward: by
    /// DeleteRecords (<see cref="DeleteRecordsBefore"/>) or when retention deletes the segments below it.
    /// </summary>
    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    /// <summary>The next offset to assign.</summary>
    public long LogEndOffset => Volatile.Read(ref _logEndOffset);

    /// <summary>Persisted in replication-offset-checkpoint; clamped to [<see cref="LogStartOffset"/>, <see cref="LogEndOffset"/>].</summary>
    public long HighWatermark
    {
        get => Volatile.Read(ref _highWatermark);
        set => Volatile.Write(ref _highWatermark, Math.Clamp(value, LogStartOffset, LogEndOffset));
    }

    /// <summary>Every offset below this is fsynced; persisted in recovery-point-offset-checkpoint.</summary>
    public long RecoveryPoint => Volatile.Read(ref _recoveryPoint);

    public int SegmentCount => Volatile.Read(ref _segments).Length;

    internal IReadOnlyList<LogSegment> Segments => Volatile.Read(ref _segments);

    /// <summary>fsyncs every segment holding offsets above the recovery point, then moves the point to what was flushed.</summary>
    /// <exception cref="KafkaStorageException">The log dir is offline, or goes offline now.</exception>
    public void Flush() => Guard("flush", () => FlushTo(LogEndOffset));

    /// <summary>
    /// Group commit: returns once every offset below <paramref name="offset"/> is fsynced. A caller that finds the
    /// flush lock taken waits, and usually finds its offset covered by the flush it waited for, because each flush
    /// covers everything appended before it started, not just the offset it was asked for. Concurrent appenders
    /// with flush.messages=1 so share one fsync instead of queueing one each.
    /// </summary>
    private void FlushCovering(long offset)
    {
        if (offset <= RecoveryPoint)
        {
            return;
        }
        lock (_flushLock)
        {
            if (offset <= RecoveryPoint)
            {
                return;
            }
            FlushTo(LogEndOffset);
        }
    }

    /// <summary>
    /// fsyncs the segments holding offsets in [recovery point, <paramref name="offset"/>) and moves the recovery
    /// point to <paramref name="offset"/>. Serialised, so the point only ever covers a contiguous fsynced prefix.
    /// </summary>
    private void FlushTo(long offset)
    {
        lock (_flushLock)
        {
            var recoveryPoint = RecoveryPoint;
            if (offset <= recoveryPoint)
            {
                return;
            }
            Health.InjectFault("flush");
            var newSegment = false;
            foreach (var segment in Volatile.Read(ref _segments))
            {
                if (segment.BaseOffset < offset && (segment.NextOffset > recoveryPoint || segment.BaseOffset >= recoveryPoint))
                {
                    segment.Flush();
                    newSegment |= segment.BaseOffset >= recoveryPoint && segment.BaseOffset > 0;
                }
            }
            // A segment created since the last flush is durable only once its directory entry is (Kafka's LocalLog.flush).
            if (newSegment)
            {
                IO.DirectorySync.Fsync(Directory);
            }
            AdvanceRecoveryPoint(offset);
            Volatile.Write(ref _lastFlushMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    /// <summary>flush.ms: fsyncs when data is unflushed and the last fsync is at least flush.ms old.</summary>
    internal void FlushIfDue(long nowMs)
    {
        if (!IsOffline && LogEndOffset > RecoveryPoint && nowMs - LastFlushMs >= Config.FlushMs)
        {
            Flush();
        }
    }

    /// <summary>Runs an operation that does I/O; an <see cref="IOException"/> takes the log dir offline.</summary>
    private T Guard<T>(string operation, Func<T> action)
    {
        var health = Health;
        health.ThrowIfOffline(TopicPartition);
        try
        {
            return action();
        }
        catch (IOException e)
        {
            throw health.Fail(TopicPartition, operation, e);
        }
    }

    private void Guard(string operation, Action action) => Guard(operation, () =>
    {
        action();
        return 0;
    });

    /// <summary>Closes the segment files; the active segment's indexes are trimmed. Unflushed data stays unflushed.</summary>
    internal void Close()
    {
        lock (_appendLock)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            foreach (var segment in _segments)
            {
                segment.Dispose();
            }
            DisposeRetired();
        }
    }

    private void AdvanceRecoveryPoint(long offset)
    {
        var current = Volatile.Read(ref _recoveryPoint);
        while (offset > current)
        {
            var seen = Interlocked.CompareExchange(ref _recoveryPoint, offset, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }

    private static int FloorSegment(LogSegment[] segments, long offset)
    {
        int lo = 0, hi = segments.Length - 1, found = 0;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (segments[mid].BaseOffset <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }
}
