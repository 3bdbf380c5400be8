using Freshet.Protocol.Primitives;
using Freshet.Storage.IO;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Storage.Tests.Durability;

public sealed class LogDirFailureTests
{
    private static readonly LogConfig Config = new();

    private static (LogManager Manager, PartitionLog A, PartitionLog B) TwoDirs(TempDir dir, DiskFaults faults)
    {
        var manager = new LogManager(
            new LogManagerOptions { LogDirs = [dir.Sub("d1"), dir.Sub("d2")], DiskFaults = faults },
            NullLoggerFactory.Instance);
        manager.LoadLogs(_ => Config);
        var a = manager.CreateLog(new TopicPartition("t", 0), KafkaUuid.NewRandom(), Config);
        var b = manager.CreateLog(new TopicPartition("t", 1), KafkaUuid.NewRandom(), Config);
        Assert.NotEqual(a.LogDir, b.LogDir);
        return (manager, a, b);
    }

    [Fact]
    public void An_io_error_on_append_takes_only_that_log_dir_offline()
    {
        using var dir = new TempDir();
        var faults = new DiskFaults();
        var (manager, a, b) = TwoDirs(dir, faults);
        using (manager)
        {
            a.Append(TestBatches.Build(2, 1000), 0);
            faults.Fail(a.LogDir);

            Assert.Throws<KafkaStorageException>(() => a.Append(TestBatches.Build(2, 1000), 0));
            Assert.True(a.IsOffline);
            Assert.Equal([a.LogDir], manager.OfflineLogDirs);

            // Healing the disk does not bring the dir back: Kafka needs a restart for that.
            faults.Heal(a.LogDir);
            Assert.Throws<KafkaStorageException>(() => a.Read(0, 1000, long.MaxValue, true));
            Assert.Throws<KafkaStorageException>(() => a.Flush());
            Assert.Throws<KafkaStorageException>(() => a.LatestTimestamp());

            Assert.Equal(2, b.Append(TestBatches.Build(3, 1000), 0).LastOffset);
            Assert.Equal(3, TestBatches.Parse(b.Read(0, 10000, long.MaxValue, true)).Sum(h => h.LastOffsetDelta + 1));
        }
    }

    [Fact]
    public void Io_errors_on_read_and_flush_take_the_dir_offline_too()
    {
        using var dir = new TempDir();
        var faults = new DiskFaults();
        var (manager, a, b) = TwoDirs(dir, faults);
        using (manager)
        {
            a.Append(TestBatches.Build(2, 1000), 0);
            b.Append(TestBatches.Build(2, 1000), 0);
            faults.Fail(a.LogDir);
            Assert.Throws<KafkaStorageException>(() => a.Read(0, 1000, long.MaxValue, true));
            Assert.True(a.IsOffline);

            faults.Fail(b.LogDir);
            Assert.Throws<KafkaStorageException>(() => b.Flush());
            Assert.True(b.IsOffline);
        }
    }

    [Fact]
    public void New_logs_go_to_online_dirs_and_the_flusher_skips_offline_ones()
    {
        using var dir = new TempDir();
        var faults = new DiskFaults();
        var (manager, a, _) = TwoDirs(dir, faults);
        using (manager)
        {
            faults.Fail(a.LogDir);
            Assert.Throws<KafkaStorageException>(() => a.Append(TestBatches.Build(1, 1000), 0));
            for (var i = 2; i < 5; i++)
            {
                var log = manager.CreateLog(new TopicPartition("t", i), KafkaUuid.NewRandom(), Config);
                Assert.NotEqual(a.LogDir, log.LogDir);
            }
            manager.FlushDirtyLogs();
            manager.CheckpointAll();
        }
    }

    [Fact]
    public void An_offline_dir_is_recovered_at_the_next_start()
    {
        using var dir = new TempDir();
        var faults = new DiskFaults();
        var (manager, a, _) = TwoDirs(dir, faults);
        var tp = a.TopicPartition;
        var offlineDir = a.LogDir;
        using (manager)
        {
            a.Append(TestBatches.Build(2, 1000), 0);
            faults.Fail(a.LogDir);
            Assert.Throws<KafkaStorageException>(() => a.Append(TestBatches.Build(1, 1000), 0));
        }
        Assert.False(File.Exists(Path.Combine(offlineDir, LogFileNames.CleanShutdownMarker)));

        using var again = new LogManager(new LogManagerOptions { LogDirs = [dir.Sub("d1"), dir.Sub("d2")] }, NullLoggerFactory.Instance);
        again.LoadLogs(_ => Config);
        Assert.True(again.TryGetLog(tp, out var reloaded));
        Assert.Equal(2, reloaded.LogEndOffset);
        Assert.False(reloaded.IsOffline);
    }
}
