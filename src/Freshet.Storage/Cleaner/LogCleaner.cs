using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Freshet.Storage.Cleaner;

/// <summary>
/// Kafka's log cleaner: background threads that each pick the dirtiest compacted log (cleanup.policy contains
/// compact) past its min.cleanable.dirty.ratio, or one overdue by max.compaction.lag.ms, or one holding tombstones
/// past their delete horizon, and compact it. Cleaning reads inactive segments and writes copies beside them, so
/// appends to the active segment never wait for it; only the swap of each segment takes the log's append lock.
/// </summary>
public sealed class LogCleaner : IAsyncDisposable
{
    private readonly LogManager _logs;
    private readonly LogCleanerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CleanerCheckpoints _checkpoints;
    private readonly ConcurrentDictionary<TopicPartition, long> _tombstoneHorizons = new();
    private readonly ConcurrentDictionary<TopicPartition, bool> _inProgress = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _threads = [];

    public LogCleaner(LogManager logs, LogCleanerOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _logs = logs ?? throw new ArgumentNullException(nameof(logs));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = loggerFactory.CreateLogger<LogCleaner>();
        _time = time;
        _checkpoints = new CleanerCheckpoints(logs.LogDirs);
    }

    /// <summary>The offset below which a log is clean, from cleaner-offset-checkpoint; null when never cleaned.</summary>
    public long? CleanedOffset(TopicPartition tp) => _checkpoints.Get(tp);

    public void Start()
    {
        for (var i = 0; i < _options.Threads; i++)
        {
            _threads.Add(Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap());
        }
        CleanerLog.Started(_logger, _options.Threads, _options.BackoffMs);
    }

    /// <summary>
    /// Picks the log most in need of cleaning and cleans it; false when no log needs it or the clean changed nothing,
    /// so the threads back off rather than pick the same log again at once. The threads call this in a loop; tests
    /// call it directly.
    /// </summary>
    public bool CleanOnce()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var candidate = _logs.Logs
            .Where(log => !_inProgress.ContainsKey(log.TopicPartition))
            .Select(log => CleanableLog.Inspect(log, _checkpoints.Get(log.TopicPartition), now, _tombstoneHorizons.GetValueOrDefault(log.TopicPartition, long.MaxValue)))
            .OfType<CleanableLog>()
            .OrderByDescending(c => c.Forced)
            .ThenByDescending(c => c.DirtyRatio)
            .FirstOrDefault();
        if (candidate is null || !_inProgress.TryAdd(candidate.Log.TopicPartition, true))
        {
            return false;
        }
        try
        {
            return Clean(candidate, now);
        }
        finally
        {
            _inProgress.TryRemove(candidate.Log.TopicPartition, out _);
        }
    }

    /// <summary>True when the clean rewrote a segment or moved the cleaner checkpoint.</summary>
    private bool Clean(CleanableLog target, long now)
    {
        var stopwatch = Stopwatch.StartNew();
        var log = target.Log;
        var config = log.Config;
        var segments = target.Segments;
        var map = new OffsetMap(_options.MapCapacity);
        var mapEnd = target.DirtyStart;
        // The map's capacity is soft: it stops at the first segment boundary past it, always taking one segment.
        while (mapEnd < target.UncleanableStart && (mapEnd == target.DirtyStart || !map.IsFull))
        {
            DirtyKeys.Add(segments[mapEnd], map);
            mapEnd++;
        }
        var endOffset = segments[mapEnd].BaseOffset;
        var earliestHorizon = long.MaxValue;
        var replaced = false;
        long read = 0, written = 0;
        for (var i = 0; i < mapEnd; i++)
        {
            var result = SegmentCleaner.Clean(segments[i], map, now, config.DeleteRetentionMs);
            read += result.BytesRead;
            written += result.BytesWritten;
            earliestHorizon = Math.Min(earliestHorizon, result.EarliestHorizon);
            if (result.Changed && !log.ReplaceSegment(segments[i], SegmentCleaner.CleanedPath(segments[i]), target.Truncations))
            {
                CleanerLog.Abandoned(_logger, log.TopicPartition);
                return replaced;
            }
            replaced |= result.Changed;
        }
        _tombstoneHorizons[log.TopicPartition] = earliestHorizon;
        var advanced = endOffset > (_checkpoints.Get(log.TopicPartition) ?? -1);
        _checkpoints.Update(log, endOffset, _logs.Logs.Where(l => l.LogDir == log.LogDir));
        CleanerLog.Cleaned(_logger, log.TopicPartition, mapEnd, endOffset, map.Count, read, written, target.DirtyRatio, stopwatch.ElapsedMilliseconds);
        return replaced || advanced;
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            var cleaned = false;
            try
            {
                cleaned = CleanOnce();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or CorruptRecordException or UnauthorizedAccessException)
            {
                CleanerLog.Failed(_logger, e);
            }
            if (!cleaned)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(_options.BackoffMs), _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Stops the threads after the clean in progress, if any, finishes.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_threads).ConfigureAwait(false);
        _stop.Dispose();
    }
}
