using Freshet.Storage.Indexes;
using Freshet.Storage.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Freshet.Storage.Segments;

/// <summary>
/// One segment: a .log of record batches named by its base offset, with its sparse .index and .timeindex.
/// Appends come from one thread at a time (the log's append lock); reads come from any thread and see the
/// bytes below <see cref="Size"/>, which is published after the bytes and their index entries are written.
/// Indexes of inactive segments load on first use, so start-up does not read every index of every log.
/// </summary>
internal sealed partial class LogSegment : IDisposable
{
    private readonly SafeFileHandle _log;
    private readonly ILogger _logger;
    private readonly object _indexLoadLock = new();
    private readonly int _indexIntervalBytes;
    private readonly int _maxIndexBytes;
    private OffsetIndex? _offsetIndex;
    private TimeIndex? _timeIndex;
    private int _size;
    private int _bytesSinceLastIndexEntry;
    private long _nextOffset;
    private MaxTimestamp _maxTimestamp = MaxTimestamp.None;
    private long _rollingBaseMs = -1;
    private bool _active;

    private LogSegment(string directory, long baseOffset, SafeFileHandle log, int size, int indexIntervalBytes, int maxIndexBytes, ILogger logger)
    {
        Directory = directory;
        BaseOffset = baseOffset;
        _log = log;
        _size = size;
        _nextOffset = baseOffset;
        _indexIntervalBytes = indexIntervalBytes;
        _maxIndexBytes = maxIndexBytes;
        _logger = logger;
        TxnIndex = new TransactionIndex(LogFileNames.TxnIndexFile(directory, baseOffset));
    }

    /// <summary>The transactions aborted by markers in this segment.</summary>
    public TransactionIndex TxnIndex { get; }

    public string Directory { get; }

    public long BaseOffset { get; }

    /// <summary>Bytes of whole batches readers may see.</summary>
    public int Size => Volatile.Read(ref _size);

    /// <summary>The offset after the last batch (for inactive segments loaded lazily, the next segment's base).</summary>
    public long NextOffset
    {
        get => Volatile.Read(ref _nextOffset);
        set => Volatile.Write(ref _nextOffset, value);
    }

    public SafeFileHandle Handle => _log;

    public string LogPath => LogFileNames.LogFile(Directory, BaseOffset);

    /// <summary>The largest batch max timestamp and that batch's base offset; Timestamp -1 when there is none.</summary>
    public TimestampOffset MaxTimestampAndOffset
    {
        get
        {
            EnsureIndexesLoaded();
            var max = Volatile.Read(ref _maxTimestamp);
            return new TimestampOffset(max.Timestamp, max.Offset);
        }
    }

    public static LogSegment Create(string directory, long baseOffset, LogConfig config, ILogger logger)
    {
        var log = FileIo.OpenSegmentLog(LogFileNames.LogFile(directory, baseOffset), FileMode.Create);
        var segment = new LogSegment(directory, baseOffset, log, 0, config.IndexIntervalBytes, config.SegmentIndexBytes, logger);
        File.Delete(LogFileNames.IndexFile(directory, baseOffset));
        File.Delete(LogFileNames.TimeIndexFile(directory, baseOffset));
        File.Delete(LogFileNames.TxnIndexFile(directory, baseOffset));
        segment._offsetIndex = OffsetIndex.Open(LogFileNames.IndexFile(directory, baseOffset), baseOffset, config.SegmentIndexBytes, 0, out _);
        segment._timeIndex = TimeIndex.Open(LogFileNames.TimeIndexFile(directory, baseOffset), baseOffset, config.SegmentIndexBytes, long.MaxValue, out _);
        segment._indexesLoaded = true;
        segment.BecomeActive();
        return segment;
    }

    /// <summary>Opens an existing segment without reading its indexes.</summary>
    public static LogSegment Open(string directory, long baseOffset, LogConfig config, ILogger logger)
    {
        var log = FileIo.OpenSegmentLog(LogFileNames.LogFile(directory, baseOffset), FileMode.Open);
        var length = RandomAccess.GetLength(log);
        if (length > int.MaxValue)
        {
            log.Dispose();
            throw new IOException($"Segment '{LogFileNames.LogFile(directory, baseOffset)}' is larger than 2 GiB.");
        }
        return new LogSegment(directory, baseOffset, log, (int)length, config.IndexIntervalBytes, config.SegmentIndexBytes, logger);
    }

    /// <summary>
    /// Opens a segment the cleaner has just rewritten. Its indexes were removed with the original and are built
    /// from the cleaned log on first use, without the warning a missing index otherwise earns.
    /// </summary>
    public static LogSegment OpenReplacement(string directory, long baseOffset, LogConfig config, ILogger logger, long nextOffset)
    {
        var segment = Open(directory, baseOffset, config, logger);
        segment.NextOffset = nextOffset;
        segment._indexesExpectedMissing = true;
        return segment;
    }

    /// <summary>Both index files exist; a missing one is rebuilt when the indexes load.</summary>
    public bool HasIndexFiles =>
        File.Exists(LogFileNames.IndexFile(Directory, BaseOffset)) && File.Exists(LogFileNames.TimeIndexFile(Directory, BaseOffset));

    /// <summary>Wall-clock age for segment.ms: first append time, or for a loaded segment its first batch's max timestamp.</summary>
    public long RollingBaseMs => _rollingBaseMs;

    /// <summary>This segment's share of segment.jitter.ms, drawn once so its roll age stays fixed.</summary>
    public double RollJitterFraction { get; } = Random.Shared.NextDouble();

    /// <summary>The age at which this segment rolls: segment.ms less its jitter, as Kafka draws it in [0, min(jitter, segment.ms)).</summary>
    public long RollAgeMs(LogConfig config) =>
        config.SegmentMs - (long)(RollJitterFraction * Math.Min(config.SegmentJitterMs, config.SegmentMs));

    public bool IndexIsFull
    {
        get
        {
            EnsureIndexesLoaded();
            return _offsetIndex!.IsFull || _timeIndex!.IsFull;
        }
    }

    /// <summary>fsyncs the log and the indexes; a segment already out of the log has nothing worth keeping.</summary>
    public void Flush()
    {
        if (_markedDeleted)
        {
            return;
        }
        RandomAccess.FlushToDisk(_log);
        _offsetIndex?.Flush();
        _timeIndex?.Flush();
        TxnIndex.Flush();
    }

    /// <summary>The segment takes appends: its indexes are extended to their preallocated size.</summary>
    public void BecomeActive()
    {
        EnsureIndexesLoaded();
        _active = true;
        _offsetIndex!.Preallocate();
        _timeIndex!.Preallocate();
    }

    /// <summary>
    /// The segment takes no more appends (roll or close): a final time index entry records its max timestamp,
    /// so that it never has to be recomputed from the log, and the indexes shrink to their entries.
    /// </summary>
    public void BecomeInactive()
    {
        if (!_active)
        {
            return;
        }
        _active = false;
        var max = _maxTimestamp;
        if (max.Timestamp >= 0)
        {
            _timeIndex!.MaybeAppend(max.Timestamp, max.Offset);
        }
        _offsetIndex!.TrimToSize();
        _timeIndex!.TrimToSize();
    }

    public void Dispose()
    {
        BecomeInactive();
        _offsetIndex?.Dispose();
        _timeIndex?.Dispose();
        _log.Dispose();
    }

    private sealed record MaxTimestamp(long Timestamp, long Offset)
    {
        public static readonly MaxTimestamp None = new(-1, -1);
    }
}
