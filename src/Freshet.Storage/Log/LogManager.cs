using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Freshet.Protocol.Primitives;
using Freshet.Storage.Checkpoints;
using Freshet.Storage.IO;
using Freshet.Storage.Recovery;
using Microsoft.Extensions.Logging;

namespace Freshet.Storage;

/// <summary>
/// Owns the log dirs: their meta.properties, lock files, clean-shutdown markers and checkpoints, and every
/// partition log in them.
/// </summary>
public sealed partial class LogManager : IDisposable
{
    private readonly LogManagerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string[] _logDirs;
    private readonly string _logDirsText;
    private readonly Dictionary<string, bool> _cleanShutdown = new(StringComparer.Ordinal);
    private readonly List<FileStream> _locks = [];
    private readonly ConcurrentDictionary<TopicPartition, PartitionLog> _logs = new();
    private readonly Dictionary<string, LogDirHealth> _health = new(StringComparer.Ordinal);
    private readonly object _lifecycleLock = new();
    private readonly List<Task> _backgroundDeletes = [];
    private bool _loaded;
    private bool _disposed;

    public LogManager(LogManagerOptions options, ILoggerFactory loggerFactory)
        : this(options, loggerFactory, TimeProvider.System)
    {
    }

    /// <summary>With a <see cref="TimeProvider"/> for segment.ms rolls and LogAppendTime, so tests need not sleep.</summary>
    public LogManager(LogManagerOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = loggerFactory.CreateLogger<LogManager>();
        _time = timeProvider;
        _logDirs = [.. options.LogDirs.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)];
        if (_logDirs.Length == 0)
        {
            throw new ArgumentException("At least one log dir is needed.", nameof(options));
        }
        _logDirsText = string.Join(',', _logDirs);
        foreach (var dir in _logDirs)
        {
            _health[dir] = new LogDirHealth(dir, options.DiskFaults, _logger);
        }
        try
        {
            foreach (var dir in _logDirs)
            {
                System.IO.Directory.CreateDirectory(dir);
                _locks.Add(new FileStream(Path.Combine(dir, LogFileNames.LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            options.DefaultConfig.Validate();
            ClusterId = LoadOrCreateMetaProperties();
            StorageLog.Started(_logger, _logDirsText, options.NodeId, ClusterId);
            foreach (var dir in _logDirs)
            {
                var marker = Path.Combine(dir, LogFileNames.CleanShutdownMarker);
                // A directory without partitions has nothing to recover, marker or not (a first start).
                _cleanShutdown[dir] = File.Exists(marker) || !System.IO.Directory.EnumerateDirectories(dir).Any();
                if (File.Exists(marker))
                {
                    File.Delete(marker);
                    DirectorySync.Fsync(dir);
                }
            }
        }
        catch
        {
            ReleaseLocks();
            throw;
        }
    }

    /// <summary>From meta.properties; generated on first start unless <see cref="LogManagerOptions.ClusterId"/> is set.</summary>
    public string ClusterId { get; }

    public IReadOnlyList<string> LogDirs => _logDirs;

    public IReadOnlyCollection<PartitionLog> Logs => (IReadOnlyCollection<PartitionLog>)_logs.Values;

    /// <summary>Log dirs taken offline by an I/O error; their partitions answer KAFKA_STORAGE_ERROR until a restart.</summary>
    public IReadOnlyList<string> OfflineLogDirs => [.. _logDirs.Where(dir => _health[dir].IsOffline)];

    public bool TryGetLog(TopicPartition tp, [NotNullWhen(true)] out PartitionLog? log) => _logs.TryGetValue(tp, out log);

    /// <summary>
    /// Opens every partition directory in every log dir and recovers unflushed tails. Directories being deleted
    /// (<c>-delete</c>) are deleted in the background; files and directories that are not partitions are ignored.
    /// </summary>
    public void LoadLogs(Func<TopicPartition, LogConfig> configFor)
    {
        var stopwatch = Stopwatch.StartNew();
        lock (_lifecycleLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_loaded)
            {
                throw new InvalidOperationException("Logs are loaded once.");
            }
            foreach (var dir in _logDirs)
            {
                LoadLogDir(dir, configFor);
            }
            _loaded = true;
        }
        StorageLog.LoadedLogs(_logger, _logs.Count, stopwatch.ElapsedMilliseconds, _logDirsText);
    }

    /// <summary>
    /// Creates the log in the log dir holding the fewest partitions: directory, partition.metadata with the topic
    /// id, an empty first segment, and an fsync of the directories. An existing log with the same topic id is returned.
    /// </summary>
    /// <exception cref="InvalidOperationException">The log exists with another topic id.</exception>
    public PartitionLog CreateLog(TopicPartition tp, KafkaUuid topicId, LogConfig config) => CreateLogs([tp], topicId, config)[0];

    /// <summary>Closes the log, renames its directory to <c>topic-p.&lt;uuid&gt;-delete</c> and deletes it in the background.</summary>
    public void DeleteLog(TopicPartition tp)
    {
        lock (_lifecycleLock)
        {
            ThrowIfNotLoaded();
            if (!_logs.TryRemove(tp, out var log))
            {
                return;
            }
            log.Close();
            var renamed = Path.Combine(log.LogDir, $"{tp.DirectoryName}.{Guid.NewGuid():N}{LogFileNames.DeleteDirSuffix}");
            System.IO.Directory.Move(log.Directory, renamed);
            DirectorySync.Fsync(log.LogDir);
            StorageLog.DeletedLog(_logger, tp, renamed);
            DeleteInBackground(renamed);
        }
    }

    /// <summary>Flushes and closes every log, writes the checkpoints, then the clean-shutdown markers.</summary>
    public void Dispose()
    {
        lock (_lifecycleLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (var log in _logs.Values)
            {
                if (!log.IsOffline)
                {
                    log.Flush();
                    log.WriteProducerSnapshot();
                }
                log.Close();
            }
            DeleteAllPendingSegmentFiles();
            if (_loaded)
            {
                WriteCheckpoints();
            }
            // An offline dir gets no marker: what it holds is re-checked at the next start.
            foreach (var dir in _logDirs.Where(dir => (_loaded || _cleanShutdown[dir]) && !_health[dir].IsOffline))
            {
                using (var marker = new FileStream(Path.Combine(dir, LogFileNames.CleanShutdownMarker), FileMode.Create, FileAccess.Write))
                {
                    marker.Flush(flushToDisk: true);
                }
                DirectorySync.Fsync(dir);
            }
            Task.WaitAll([.. _backgroundDeletes]);
            ReleaseLocks();
            StorageLog.ShutDown(_logger, _logs.Count);
        }
    }

    /// <summary>
    /// The periodic flusher's pass (log.flush.scheduler.interval.ms): fsyncs every log whose flush.ms has passed
    /// since its last fsync. A failing log takes its dir offline and the pass goes on with the others.
    /// </summary>
    public void FlushDirtyLogs()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var log in _logs.Values)
        {
            try
            {
                log.FlushIfDue(now);
            }
            catch (KafkaStorageException)
            {
                // Logged when the dir went offline.
            }
            catch (ObjectDisposedException)
            {
                // Deleted while the pass ran.
            }
        }
    }

    /// <summary>
    /// Checkpoints written before the logs are loaded would drop every log not yet loaded, so the manager refuses
    /// to change anything until <see cref="LoadLogs"/> has run. Disposing an unloaded manager leaves the dirs as found.
    /// </summary>
    private void ThrowIfNotLoaded()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_loaded)
        {
            throw new InvalidOperationException("LoadLogs must run before logs are created, deleted or checkpointed.");
        }
    }

    private void DeleteInBackground(string directory)
    {
        _backgroundDeletes.RemoveAll(task => task.IsCompleted);
        _backgroundDeletes.Add(Task.Run(() =>
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException e)
            {
                StorageLog.BackgroundDeleteFailed(_logger, e, directory);
            }
            catch (UnauthorizedAccessException e)
            {
                StorageLog.BackgroundDeleteFailed(_logger, e, directory);
            }
        }));
    }

    private void ReleaseLocks()
    {
        foreach (var fileLock in _locks)
        {
            fileLock.Dispose();
        }
        _locks.Clear();
    }
}
