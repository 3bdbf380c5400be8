using Freshet.Protocol.Primitives;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Storage.Tests;

internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "freshet-storage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualTime()
        : this(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000))
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>One log dir, one partition, reopened at will.</summary>
internal sealed class LogFixture : IDisposable
{
    public static readonly TopicPartition Tp = new("orders", 0);
    public static readonly KafkaUuid TopicId = KafkaUuid.NewRandom();

    private readonly TempDir _dir = new();

    public LogFixture(LogConfig config, TimeProvider? time = null)
    {
        Config = config;
        Time = time ?? TimeProvider.System;
        Manager = NewManager();
        Manager.LoadLogs(_ => config);
        Log = Manager.CreateLog(Tp, TopicId, config);
    }

    public LogConfig Config { get; }

    public TimeProvider Time { get; }

    public LogManager Manager { get; private set; }

    public PartitionLog Log { get; private set; }

    public string LogDir => _dir.Path;

    public string PartitionDir => System.IO.Path.Combine(_dir.Path, Tp.DirectoryName);

    public string SegmentFile(long baseOffset, string suffix) =>
        System.IO.Path.Combine(PartitionDir, LogFileNames.FileNamePrefix(baseOffset) + suffix);

    public LogManager NewManager() =>
        new(new LogManagerOptions { LogDirs = [_dir.Path], DefaultConfig = Config }, NullLoggerFactory.Instance, Time);

    /// <summary>Clean shutdown and start.</summary>
    public void Reopen()
    {
        Manager.Dispose();
        Start();
    }

    /// <summary>Flushes and checkpoints now, as the broker's periodic flush would; returns the recovery-point checkpoint.</summary>
    public string FlushAndCheckpoint()
    {
        Log.Flush();
        Manager.CheckpointAll();
        return File.ReadAllText(System.IO.Path.Combine(_dir.Path, LogFileNames.RecoveryPointCheckpoint));
    }

    /// <summary>
    /// Simulates a crash: closes the files, then removes the clean-shutdown marker and puts back the recovery-point
    /// checkpoint as it was at the last periodic checkpoint (none: deleted), and applies <paramref name="damage"/>.
    /// </summary>
    public void CloseUncleanly(string? recoveryCheckpoint, Action? damage = null)
    {
        Manager.Dispose();
        File.Delete(System.IO.Path.Combine(_dir.Path, LogFileNames.CleanShutdownMarker));
        var checkpoint = System.IO.Path.Combine(_dir.Path, LogFileNames.RecoveryPointCheckpoint);
        if (recoveryCheckpoint is null)
        {
            File.Delete(checkpoint);
        }
        else
        {
            File.WriteAllText(checkpoint, recoveryCheckpoint);
        }
        damage?.Invoke();
    }

    public void CrashAndRestart(string? recoveryCheckpoint, Action? damage = null)
    {
        CloseUncleanly(recoveryCheckpoint, damage);
        Start();
    }

    public void Start()
    {
        Manager = NewManager();
        Manager.LoadLogs(_ => Config);
        Assert.True(Manager.TryGetLog(Tp, out var log));
        Log = log;
    }

    public LogAppendInfo Append(int records, long timestamp = 1000, int payload = 100) =>
        Log.Append(TestBatches.Build(records, timestamp, payload), leaderEpoch: 3);

    public void Dispose()
    {
        Manager.Dispose();
        _dir.Dispose();
    }
}
