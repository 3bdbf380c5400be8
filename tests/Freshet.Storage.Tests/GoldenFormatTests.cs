using System.Buffers.Binary;
using Freshet.Protocol.Primitives;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Storage.Tests;

/// <summary>Freezes the bytes that reach the disk.</summary>
public sealed class GoldenFormatTests
{
    [Fact]
    public void Index_files_hold_big_endian_entries_for_the_batch_after_each_interval()
    {
        using var fixture = new LogFixture(new LogConfig { IndexIntervalBytes = 150 });
        fixture.Append(2, timestamp: 500, payload: 100);   // offsets 0-1, position 0, 161 bytes
        fixture.Append(3, timestamp: 400, payload: 100);   // offsets 2-4, position 161: indexed (161 > 150)
        fixture.Append(1, timestamp: 900, payload: 100);   // offset 5, position 322: indexed
        fixture.Manager.Dispose();

        byte[] expectedIndex = [0, 0, 0, 2, 0, 0, 0, 161, 0, 0, 0, 5, 0, 0, 0x01, 0x42];
        Assert.Equal(expectedIndex, File.ReadAllBytes(fixture.SegmentFile(0, LogFileNames.IndexSuffix)));
        var timeIndex = File.ReadAllBytes(fixture.SegmentFile(0, LogFileNames.TimeIndexSuffix));
        Assert.Equal(24, timeIndex.Length);
        Assert.Equal((500L, 0), (BinaryPrimitives.ReadInt64BigEndian(timeIndex), BinaryPrimitives.ReadInt32BigEndian(timeIndex.AsSpan(8))));
        Assert.Equal((900L, 5), (BinaryPrimitives.ReadInt64BigEndian(timeIndex.AsSpan(12)), BinaryPrimitives.ReadInt32BigEndian(timeIndex.AsSpan(20))));
    }

    [Fact]
    public void Log_file_holds_the_batches_with_assigned_offsets_and_leader_epoch()
    {
        using var fixture = new LogFixture(new LogConfig());
        var batch = TestBatches.Build(4, 77);
        fixture.Append(2);
        fixture.Log.Append(batch, leaderEpoch: 9);
        fixture.Manager.Dispose();

        var log = File.ReadAllBytes(fixture.SegmentFile(0, LogFileNames.LogSuffix));
        var second = log.AsSpan(161);
        Assert.Equal(2, BinaryPrimitives.ReadInt64BigEndian(second));
        Assert.Equal(9, BinaryPrimitives.ReadInt32BigEndian(second[12..]));
        Assert.Equal(batch, second.ToArray());
    }

    [Fact]
    public void Disposing_a_manager_that_never_loaded_leaves_the_dirs_as_found()
    {
        using var dir = new TempDir();
        var options = new LogManagerOptions { LogDirs = [dir.Path] };
        using (var manager = new LogManager(options, NullLoggerFactory.Instance))
        {
            manager.LoadLogs(_ => new LogConfig());
            manager.CreateLog(new TopicPartition("t", 0), KafkaUuid.NewRandom(), new LogConfig()).Append(TestBatches.Build(3, 1), 0);
        }
        var checkpoint = File.ReadAllText(dir.Sub(LogFileNames.RecoveryPointCheckpoint));

        using (var unloaded = new LogManager(options, NullLoggerFactory.Instance))
        {
            Assert.Throws<InvalidOperationException>(unloaded.CheckpointAll);
        }

        Assert.Equal(checkpoint, File.ReadAllText(dir.Sub(LogFileNames.RecoveryPointCheckpoint)));
        Assert.True(File.Exists(dir.Sub(LogFileNames.CleanShutdownMarker)));
    }
}
