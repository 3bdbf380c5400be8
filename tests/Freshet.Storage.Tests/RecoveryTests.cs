using Freshet.Protocol.Records;

namespace Freshet.Storage.Tests;

public sealed class RecoveryTests
{
    private static readonly LogConfig Small = new() { SegmentBytes = 1000, IndexIntervalBytes = 150 };

    private static List<LogAppendInfo> AppendMany(LogFixture fixture, int count, int startTimestamp = 0)
    {
        var infos = new List<LogAppendInfo>();
        for (var i = 0; i < count; i++)
        {
            infos.Add(fixture.Append(1 + (i % 3), timestamp: startTimestamp + i, payload: 60 + (i % 5 * 20)));
        }
        return infos;
    }

    private static List<long> ReadAllBaseOffsets(PartitionLog log)
    {
        var bases = new List<long>();
        var next = log.LogStartOffset;
        while (next < log.LogEndOffset)
        {
            var headers = TestBatches.Parse(log.Read(next, 4096, long.MaxValue, true));
            bases.AddRange(headers.Select(h => h.BaseOffset));
            next = headers[^1].NextOffset;
        }
        return bases;
    }

    private static void AssertEveryOffsetFindsItsBatch(PartitionLog log, IEnumerable<LogAppendInfo> batches)
    {
        foreach (var batch in batches)
        {
            for (var offset = batch.FirstOffset; offset <= batch.LastOffset; offset++)
            {
                var header = Assert.Single(TestBatches.Parse(log.Read(offset, 1, long.MaxValue, true)));
                Assert.Equal(batch.FirstOffset, header.BaseOffset);
            }
        }
    }

    [Fact]
    public void Reopen_after_clean_close_preserves_everything()
    {
        using var fixture = new LogFixture(Small);
        var infos = AppendMany(fixture, 60);
        fixture.Log.HighWatermark = 50;
        var segments = fixture.Log.SegmentCount;
        var leo = fixture.Log.LogEndOffset;

        fixture.Reopen();

        Assert.Equal(leo, fixture.Log.LogEndOffset);
        Assert.Equal(50, fixture.Log.HighWatermark);
        Assert.Equal(leo, fixture.Log.RecoveryPoint);
        Assert.Equal(segments, fixture.Log.SegmentCount);
        Assert.Equal(LogFixture.TopicId, fixture.Log.TopicId);
        Assert.Equal(infos.Select(i => i.FirstOffset), ReadAllBaseOffsets(fixture.Log));
        AssertEveryOffsetFindsItsBatch(fixture.Log, infos);
        Assert.Equal(new TimestampOffset(59, infos[^1].FirstOffset), fixture.Log.LatestTimestamp());
        Assert.Equal(leo, fixture.Append(1).FirstOffset);
    }

    [Fact]
    public void Clean_shutdown_writes_the_marker_and_start_removes_it()
    {
        using var fixture = new LogFixture(Small);
        var marker = Path.Combine(fixture.LogDir, LogFileNames.CleanShutdownMarker);
        Assert.False(File.Exists(marker));
        fixture.Manager.Dispose();
        Assert.True(File.Exists(marker));
        fixture.Start();
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(60)]
    public void Torn_tail_is_truncated_to_the_last_full_batch_and_appends_continue(int bytesCut)
    {
        using var fixture = new LogFixture(Small);
        AppendMany(fixture, 20);
        var checkpoint = fixture.FlushAndCheckpoint();
        var infos = AppendMany(fixture, 5, startTimestamp: 100);
        var lastSegment = fixture.SegmentFile(fixture.Log.Segments[^1].BaseOffset, LogFileNames.LogSuffix);
        var length = new FileInfo(lastSegment).Length;

        fixture.CrashAndRestart(checkpoint, () =>
        {
            using var stream = new FileStream(lastSegment, FileMode.Open);
            stream.SetLength(length - bytesCut);
        });

        Assert.Equal(infos[^1].FirstOffset, fixture.Log.LogEndOffset);
        Assert.Equal(length - infos[^1].Bytes, new FileInfo(lastSegment).Length);
        Assert.Equal(infos[^1].FirstOffset, fixture.Append(2).FirstOffset);
        Assert.Equal(infos[^1].FirstOffset + 2, fixture.Log.LogEndOffset);
        Assert.Equal(infos[^1].FirstOffset, ReadAllBaseOffsets(fixture.Log)[^1]);
    }

    [Fact]
    public void Garbage_after_the_last_batch_is_truncated_even_without_a_recovery_checkpoint()
    {
        using var fixture = new LogFixture(Small);
        var infos = AppendMany(fixture, 30);
        var lastSegment = fixture.SegmentFile(fixture.Log.Segments[^1].BaseOffset, LogFileNames.LogSuffix);
        var length = new FileInfo(lastSegment).Length;

        fixture.CrashAndRestart(null, () => File.AppendAllText(lastSegment, new string('\xff', 200)));

        Assert.Equal(length, new FileInfo(lastSegment).Length);
        Assert.Equal(infos[^1].LastOffset + 1, fixture.Log.LogEndOffset);
        Assert.Equal(infos.Select(i => i.FirstOffset), ReadAllBaseOffsets(fixture.Log));
    }

    [Fact]
    public void Zeroed_preallocated_tail_is_truncated()
    {
        using var fixture = new LogFixture(Small);
        var infos = AppendMany(fixture, 10);
        var lastSegment = fixture.SegmentFile(fixture.Log.Segments[^1].BaseOffset, LogFileNames.LogSuffix);
        var length = new FileInfo(lastSegment).Length;

        fixture.CrashAndRestart(null, () =>
        {
            using var stream = new FileStream(lastSegment, FileMode.Open);
            stream.SetLength(length + 4096);
        });

        Assert.Equal(length, new FileInfo(lastSegment).Length);
        Assert.Equal(infos[^1].LastOffset + 1, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void Bad_crc_in_the_unflushed_tail_truncates_there()
    {
        using var fixture = new LogFixture(new LogConfig());
        AppendMany(fixture, 10);
        var checkpoint = fixture.FlushAndCheckpoint();
        var tail = AppendMany(fixture, 5, startTimestamp: 100);
        var segment = fixture.SegmentFile(0, LogFileNames.LogSuffix);
        var bytes = File.ReadAllBytes(segment);
        var corruptBatchPosition = bytes.Length - tail[^1].Bytes - tail[^2].Bytes - tail[^3].Bytes;

        fixture.CrashAndRestart(checkpoint, () =>
        {
            bytes[corruptBatchPosition + RecordBatchHeader.Size + 3] ^= 0x01;
            File.WriteAllBytes(segment, bytes);
        });

        Assert.Equal(tail[^3].FirstOffset, fixture.Log.LogEndOffset);
        Assert.Equal(corruptBatchPosition, new FileInfo(segment).Length);
        Assert.Equal(tail[^3].FirstOffset, fixture.Append(1).FirstOffset);
    }

    [Fact]
    public void Batches_below_the_recovery_point_are_trusted_and_not_reread()
    {
        using var fixture = new LogFixture(new LogConfig());
        var infos = AppendMany(fixture, 10);
        var checkpoint = fixture.FlushAndCheckpoint();
        var segment = fixture.SegmentFile(0, LogFileNames.LogSuffix);
        var bytes = File.ReadAllBytes(segment);

        fixture.CrashAndRestart(checkpoint, () =>
        {
            bytes[RecordBatchHeader.Size + 1] ^= 0x01;
            File.WriteAllBytes(segment, bytes);
        });

        Assert.Equal(infos[^1].LastOffset + 1, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void Corruption_in_an_earlier_unflushed_segment_drops_the_later_segments()
    {
        using var fixture = new LogFixture(Small);
        var infos = AppendMany(fixture, 40);
        Assert.True(fixture.Log.SegmentCount >= 4);
        var second = fixture.Log.Segments[1];
        var secondPath = fixture.SegmentFile(second.BaseOffset, LogFileNames.LogSuffix);
        var laterSegments = fixture.Log.Segments.Skip(2).Select(s => s.BaseOffset).ToList();
        var bytes = File.ReadAllBytes(secondPath);
        var firstInSecond = infos.First(i => i.FirstOffset == second.BaseOffset);

        fixture.CrashAndRestart(null, () =>
        {
            bytes[firstInSecond.Bytes + RecordBatchHeader.CrcOffset] ^= 0x80;
            File.WriteAllBytes(secondPath, bytes);
        });

        Assert.Equal(2, fixture.Log.SegmentCount);
        Assert.Equal(firstInSecond.LastOffset + 1, fixture.Log.LogEndOffset);
        Assert.All(laterSegments, b => Assert.False(File.Exists(fixture.SegmentFile(b, LogFileNames.LogSuffix))));
        Assert.Equal(firstInSecond.LastOffset + 1, fixture.Append(1).FirstOffset);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Missing_indexes_are_rebuilt_identically(bool cleanShutdown)
    {
        using var fixture = new LogFixture(Small);
        var infos = AppendMany(fixture, 60);
        fixture.Manager.Dispose();
        var segments = Directory.GetFiles(fixture.PartitionDir, "*" + LogFileNames.IndexSuffix).Order().ToList();
        var before = segments.ToDictionary(p => p, File.ReadAllBytes);
        var timeBefore = segments.Select(p => Path.ChangeExtension(p, LogFileNames.TimeIndexSuffix)).ToDictionary(p => p, File.ReadAllBytes);
        Assert.Contains(before.Values, b => b.Length > 0);
        foreach (var path in before.Keys.Concat(timeBefore.Keys))
        {
            File.Delete(path);
        }
        if (!cleanShutdown)
        {
            File.Delete(Path.Combine(fixture.LogDir, LogFileNames.CleanShutdownMarker));
        }

        fixture.Start();

        AssertEveryOffsetFindsItsBatch(fixture.Log, infos);
        Assert.Equal(new TimestampOffset(30, infos[30].FirstOffset), fixture.Log.FindOffsetByTimestamp(30));
        fixture.Manager.Dispose();
        foreach (var (path, bytes) in before.Concat(timeBefore))
        {
            Assert.Equal(bytes, File.ReadAllBytes(path));
        }
    }

    [Theory]
    [InlineData("decreasing")]
    [InlineData("past-the-log")]
    [InlineData("odd-size")]
    public void Corrupt_indexes_are_rebuilt_identically(string corruption)
    {
        using var fixture = new LogFixture(Small);
        var infos = AppendMany(fixture, 60);
        fixture.Manager.Dispose();
        var index = fixture.SegmentFile(0, LogFileNames.IndexSuffix);
        var activeIndex = fixture.SegmentFile(fixture.Log.Segments[^1].BaseOffset, LogFileNames.IndexSuffix);
        var good = File.ReadAllBytes(index);
        var goodActive = File.ReadAllBytes(activeIndex);
        Assert.True(good.Length >= 16);
        byte[] bad = corruption switch
        {
            "decreasing" => [.. good[8..16], .. good[0..8], .. good[16..]],
            "past-the-log" => [.. good[..^4], 0x7f, 0, 0, 0],
            _ => [.. good, 1, 2, 3],
        };
        File.WriteAllBytes(index, bad);
        File.WriteAllBytes(activeIndex, bad);

        fixture.Start();

        AssertEveryOffsetFindsItsBatch(fixture.Log, infos);
        fixture.Manager.Dispose();
        Assert.Equal(good, File.ReadAllBytes(index));
        Assert.Equal(goodActive, File.ReadAllBytes(activeIndex));
    }

    [Fact]
    public void Preallocated_indexes_left_by_a_crash_are_recovered()
    {
        using var fixture = new LogFixture(Small);
        var infos = AppendMany(fixture, 60);
        var checkpoint = fixture.FlushAndCheckpoint();
        var more = AppendMany(fixture, 3, startTimestamp: 500);
        var active = fixture.Log.Segments[^1].BaseOffset;

        fixture.CrashAndRestart(checkpoint, () =>
        {
            foreach (var suffix in new[] { LogFileNames.IndexSuffix, LogFileNames.TimeIndexSuffix })
            {
                using var stream = new FileStream(fixture.SegmentFile(active, suffix), FileMode.Open);
                stream.SetLength(Small.SegmentIndexBytes);
            }
        });

        AssertEveryOffsetFindsItsBatch(fixture.Log, infos.Concat(more));
        Assert.Equal(new TimestampOffset(502, more[^1].FirstOffset), fixture.Log.LatestTimestamp());
    }
}
