using Freshet.Protocol.Primitives;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Storage.Tests;

public sealed class LogManagerTests
{
    private static LogManager NewManager(TempDir dir, params string[] logDirs)
    {
        var manager = new LogManager(new LogManagerOptions { LogDirs = logDirs.Length == 0 ? [dir.Path] : logDirs }, NullLoggerFactory.Instance);
        manager.LoadLogs(_ => new LogConfig());
        return manager;
    }

    [Fact]
    public void Checkpoint_files_use_kafkas_text_format()
    {
        using var dir = new TempDir();
        using (var manager = NewManager(dir))
        {
            var a = manager.CreateLog(new TopicPartition("orders", 0), KafkaUuid.NewRandom(), new LogConfig());
            var b = manager.CreateLog(new TopicPartition("orders", 1), KafkaUuid.NewRandom(), new LogConfig());
            a.Append(TestBatches.Build(5, 1), 0);
            b.Append(TestBatches.Build(2, 1), 0);
            a.Flush();
            a.HighWatermark = 3;
            manager.CheckpointAll();

            AssertCheckpoint(dir.Sub(LogFileNames.RecoveryPointCheckpoint), "orders 0 5", "orders 1 0");
            AssertCheckpoint(dir.Sub(LogFileNames.LogStartOffsetCheckpoint), "orders 0 0", "orders 1 0");
            AssertCheckpoint(dir.Sub(LogFileNames.ReplicationOffsetCheckpoint), "orders 0 3", "orders 1 0");
            Assert.False(File.Exists(dir.Sub(LogFileNames.RecoveryPointCheckpoint + LogFileNames.TempSuffix)));
        }
        AssertCheckpoint(dir.Sub(LogFileNames.RecoveryPointCheckpoint), "orders 0 5", "orders 1 2");
    }

    private static void AssertCheckpoint(string path, params string[] entries)
    {
        var lines = File.ReadAllText(path).Split('\n');
        Assert.Equal("0", lines[0]);
        Assert.Equal(entries.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), lines[1]);
        Assert.Equal(entries.Order(), lines[2..^1].Order());
        Assert.Equal("", lines[^1]);
    }

    [Fact]
    public void Meta_properties_are_created_once_and_the_cluster_id_survives_restarts()
    {
        using var dir = new TempDir();
        string clusterId;
        using (var manager = NewManager(dir))
        {
            clusterId = manager.ClusterId;
        }
        Assert.Equal(22, clusterId.Length);
        var lines = File.ReadAllLines(dir.Sub(LogFileNames.MetaProperties));
        Assert.Contains("version=1", lines);
        Assert.Contains("node.id=1", lines);
        Assert.Contains($"cluster.id={clusterId}", lines);
        Assert.Contains(lines, l => l.StartsWith("directory.id=", StringComparison.Ordinal) && l.Length == "directory.id=".Length + 22);

        using var reopened = NewManager(dir);
        Assert.Equal(clusterId, reopened.ClusterId);
    }

    [Fact]
    public void A_configured_cluster_id_is_used_and_a_mismatch_is_refused()
    {
        using var dir = new TempDir();
        var options = new LogManagerOptions { LogDirs = [dir.Path], ClusterId = "MkU3OEVBNTcwNTJENDM2Qg" };
        using (var manager = new LogManager(options, NullLoggerFactory.Instance))
        {
            Assert.Equal("MkU3OEVBNTcwNTJENDM2Qg", manager.ClusterId);
        }
        options.ClusterId = "AAAAAAAAAAAAAAAAAAAAAA";
        Assert.Throws<InvalidOperationException>(() => new LogManager(options, NullLoggerFactory.Instance));
    }

    [Fact]
    public void A_second_manager_cannot_lock_the_same_log_dir()
    {
        using var dir = new TempDir();
        using var manager = NewManager(dir);
        Assert.Throws<IOException>(() => NewManager(dir));
    }

    [Fact]
    public void CreateLog_writes_partition_metadata_and_spreads_over_log_dirs()
    {
        using var dir = new TempDir();
        var topicId = KafkaUuid.NewRandom();
        using var manager = NewManager(dir, dir.Sub("a"), dir.Sub("b"));
        var logs = Enumerable.Range(0, 4).Select(p => manager.CreateLog(new TopicPartition("t", p), topicId, new LogConfig())).ToList();

        Assert.Equal(2, logs.Count(l => l.LogDir == dir.Sub("a")));
        Assert.Equal(2, logs.Count(l => l.LogDir == dir.Sub("b")));
        Assert.Equal($"version: 0\ntopic_id: {topicId}\n", File.ReadAllText(Path.Combine(logs[0].Directory, LogFileNames.PartitionMetadata)));
        Assert.Same(logs[0], manager.CreateLog(new TopicPartition("t", 0), topicId, new LogConfig()));
        Assert.Throws<InvalidOperationException>(() => manager.CreateLog(new TopicPartition("t", 0), KafkaUuid.NewRandom(), new LogConfig()));
        Assert.True(File.Exists(Path.Combine(logs[0].Directory, "00000000000000000000.log")));
    }

    [Fact]
    public void CreateLogs_makes_a_whole_topic_at_once_that_a_restart_loads()
    {
        using var dir = new TempDir();
        var topicId = KafkaUuid.NewRandom();
        var partitions = Enumerable.Range(0, 200).Select(p => new TopicPartition("wide", p)).ToList();
        using (var manager = NewManager(dir, dir.Sub("a"), dir.Sub("b")))
        {
            var existing = manager.CreateLog(partitions[7], topicId, new LogConfig());

            var logs = manager.CreateLogs(partitions, topicId, new LogConfig());

            Assert.Equal(partitions, logs.Select(l => l.TopicPartition));
            Assert.Same(existing, logs[7]);
            Assert.Equal(100, logs.Count(l => l.LogDir == dir.Sub("a")));
            Assert.Equal(100, logs.Count(l => l.LogDir == dir.Sub("b")));
            Assert.All(logs, l => Assert.Equal(
                $"version: 0\ntopic_id: {topicId}\n", File.ReadAllText(Path.Combine(l.Directory, LogFileNames.PartitionMetadata))));
            Assert.Throws<InvalidOperationException>(() => manager.CreateLogs([partitions[0], new TopicPartition("wide", 500)], KafkaUuid.NewRandom(), new LogConfig()));
            Assert.False(manager.TryGetLog(new TopicPartition("wide", 500), out _));
        }

        using var reopened = NewManager(dir, dir.Sub("a"), dir.Sub("b"));
        Assert.Equal(200, reopened.Logs.Count);
        Assert.All(reopened.Logs, l => Assert.Equal(topicId, l.TopicId));
    }

    [Fact]
    public void LoadLogs_opens_partitions_and_ignores_deleted_dirs_and_other_files()
    {
        using var dir = new TempDir();
        var topicId = KafkaUuid.NewRandom();
        using (var manager = NewManager(dir))
        {
            manager.CreateLog(new TopicPartition("my-topic", 3), topicId, new LogConfig()).Append(TestBatches.Build(4, 1), 0);
            manager.CreateLog(new TopicPartition("gone", 0), topicId, new LogConfig());
        }
        Directory.CreateDirectory(dir.Sub("old-0.0123456789abcdef0123456789abcdef-delete"));
        File.WriteAllText(dir.Sub("old-0.0123456789abcdef0123456789abcdef-delete/00000000000000000000.log"), "x");
        Directory.CreateDirectory(dir.Sub("not a partition"));
        File.WriteAllText(dir.Sub("stray-file"), "x");

        using var reopened = NewManager(dir);

        Assert.Equal(2, reopened.Logs.Count);
        Assert.True(reopened.TryGetLog(new TopicPartition("my-topic", 3), out var log));
        Assert.Equal((4L, topicId), (log.LogEndOffset, log.TopicId));
        reopened.DeleteLog(new TopicPartition("gone", 0));
        Assert.False(reopened.TryGetLog(new TopicPartition("gone", 0), out _));
        reopened.Dispose();
        Assert.False(Directory.Exists(dir.Sub("old-0.0123456789abcdef0123456789abcdef-delete")));
        Assert.False(Directory.Exists(dir.Sub("gone-0")));
        Assert.DoesNotContain(Directory.GetDirectories(dir.Path), d => d.EndsWith("-delete", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unreadable_checkpoint_means_full_recovery_not_failure()
    {
        using var dir = new TempDir();
        using (var manager = NewManager(dir))
        {
            manager.CreateLog(new TopicPartition("t", 0), KafkaUuid.NewRandom(), new LogConfig()).Append(TestBatches.Build(4, 1), 0);
        }
        File.WriteAllText(dir.Sub(LogFileNames.RecoveryPointCheckpoint), "garbage");
        File.Delete(dir.Sub(LogFileNames.CleanShutdownMarker));

        using var reopened = NewManager(dir);
        Assert.True(reopened.TryGetLog(new TopicPartition("t", 0), out var log));
        Assert.Equal(4, log.LogEndOffset);
    }

    [Theory]
    [InlineData("orders-0", "orders", 0)]
    [InlineData("my-topic-12", "my-topic", 12)]
    [InlineData("__consumer_offsets-49", "__consumer_offsets", 49)]
    public void TopicPartition_directory_names_round_trip(string name, string topic, int partition)
    {
        Assert.True(TopicPartition.TryParseDirectoryName(name, out var tp));
        Assert.Equal(new TopicPartition(topic, partition), tp);
        Assert.Equal(name, tp.DirectoryName);
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("orders-")]
    [InlineData("-1")]
    [InlineData("orders-0.abcdef-delete")]
    public void TopicPartition_rejects_names_that_are_not_partitions(string name) =>
        Assert.False(TopicPartition.TryParseDirectoryName(name, out _));

    [Fact]
    public void Segment_file_names_are_twenty_digit_base_offsets()
    {
        Assert.Equal("00000000000000368769", LogFileNames.FileNamePrefix(368769));
        Assert.True(LogFileNames.TryParseBaseOffset("00000000000000368769.log", LogFileNames.LogSuffix, out var offset));
        Assert.Equal(368769, offset);
        Assert.False(LogFileNames.TryParseBaseOffset("00000000000000368769.log.deleted", LogFileNames.LogSuffix, out _));
    }
}

public sealed class LogConfigTests
{
    [Fact]
    public void Defaults_are_kafkas()
    {
        var config = new LogConfig();
        Assert.Equal((1073741824, 604800000L, 4096, 10485760), (config.SegmentBytes, config.SegmentMs, config.IndexIntervalBytes, config.SegmentIndexBytes));
        Assert.Equal((604800000L, -1L, long.MaxValue, 1048588, "delete", false), (config.RetentionMs, config.RetentionBytes, config.FlushIntervalMessages, config.MaxMessageBytes, config.CleanupPolicy, config.LogAppendTime));
        Assert.Same(config, config.Validate());
    }

    [Fact]
    public void Out_of_range_settings_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new LogConfig { SegmentBytes = 10 }.Validate());
        Assert.Throws<ArgumentException>(() => new LogConfig { SegmentIndexBytes = 8 }.Validate());
        Assert.Throws<ArgumentException>(() => new LogConfig { FlushIntervalMessages = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new LogConfig { CleanupPolicy = "keep" }.Validate());
        Assert.Same(typeof(LogConfig), new LogConfig { CleanupPolicy = "compact,delete" }.Validate().GetType());
    }
}
