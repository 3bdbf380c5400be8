namespace Freshet.Storage.Tests;

public sealed class ConcurrencyAndEdgeTests
{
    [Fact]
    public async Task Concurrent_appends_flushes_and_checkpoints_keep_offsets_contiguous()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = 3000, IndexIntervalBytes = 200 });
        var infos = new System.Collections.Concurrent.ConcurrentBag<LogAppendInfo>();
        var appenders = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 150; i++)
            {
                infos.Add(fixture.Log.Append(TestBatches.Build(1 + ((i + t) % 4), i), 0));
            }
        })).ToList();
        var flusher = Task.Run(async () =>
        {
            while (!appenders.All(a => a.IsCompleted))
            {
                fixture.Log.Flush();
                fixture.Manager.CheckpointAll();
                await Task.Yield();
            }
        });
        await Task.WhenAll(appenders);
        await flusher;

        var ordered = infos.OrderBy(i => i.FirstOffset).ToList();
        Assert.Equal(0, ordered[0].FirstOffset);
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.Equal(ordered[i - 1].LastOffset + 1, ordered[i].FirstOffset);
        }
        var leo = fixture.Log.LogEndOffset;
        Assert.Equal(ordered[^1].LastOffset + 1, leo);
        fixture.CrashAndRestart(fixture.FlushAndCheckpoint());
        Assert.Equal(leo, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void A_relative_offset_that_would_overflow_int32_rolls_the_segment()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Append(int.MaxValue);
        Assert.Equal(1, fixture.Log.SegmentCount);

        var info = fixture.Append(5);

        Assert.Equal(2, fixture.Log.SegmentCount);
        Assert.Equal((long)int.MaxValue, info.FirstOffset);
        Assert.Equal(info.FirstOffset, fixture.Log.Segments[^1].BaseOffset);
        fixture.Reopen();
        Assert.Equal(info.FirstOffset, Assert.Single(TestBatches.Parse(fixture.Log.Read(info.FirstOffset + 2, 1, long.MaxValue, true))).BaseOffset);
    }

    [Fact]
    public void Leftover_files_of_interrupted_operations_are_removed_or_completed_on_load()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Append(3);
        fixture.Manager.Dispose();
        var log = fixture.SegmentFile(0, LogFileNames.LogSuffix);
        File.WriteAllText(fixture.SegmentFile(50, LogFileNames.LogSuffix + LogFileNames.DeletedSuffix), "old");
        File.WriteAllText(fixture.SegmentFile(60, LogFileNames.LogSuffix + LogFileNames.CleanedSuffix), "half");
        File.Copy(log, log + LogFileNames.SwapSuffix);

        fixture.Start();

        Assert.Empty(Directory.GetFiles(fixture.PartitionDir, "*.deleted"));
        Assert.Empty(Directory.GetFiles(fixture.PartitionDir, "*.cleaned"));
        Assert.Empty(Directory.GetFiles(fixture.PartitionDir, "*.swap"));
        Assert.Equal(3, fixture.Log.LogEndOffset);
    }
}
