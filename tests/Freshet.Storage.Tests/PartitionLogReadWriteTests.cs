using Freshet.Protocol.Records;

namespace Freshet.Storage.Tests;

public sealed class PartitionLogReadWriteTests
{
    private static readonly LogConfig SmallSegments = new() { SegmentBytes = 2048, IndexIntervalBytes = 300 };

    [Fact]
    public void Append_assigns_offsets_in_place_and_reports_them()
    {
        using var fixture = new LogFixture(new LogConfig());
        var first = fixture.Append(5, timestamp: 10);
        var second = fixture.Append(3, timestamp: 20);

        Assert.Equal(new LogAppendInfo(0, 4, 10, -1, 161), first);
        Assert.Equal(new LogAppendInfo(5, 7, 20, -1, 161), second);
        Assert.Equal(8, fixture.Log.LogEndOffset);
        var headers = TestBatches.Parse(fixture.Log.Read(0, int.MaxValue, long.MaxValue, false));
        Assert.Equal([0L, 5L], headers.Select(h => h.BaseOffset));
        Assert.All(headers, h => Assert.Equal(3, h.PartitionLeaderEpoch));
    }

    [Fact]
    public void Append_of_several_batches_at_once_assigns_contiguous_offsets()
    {
        using var fixture = new LogFixture(new LogConfig());
        byte[] batches = [.. TestBatches.Build(2, 1), .. TestBatches.Build(4, 2), .. TestBatches.Build(1, 3)];

        var info = fixture.Log.Append(batches, 0);

        Assert.Equal((0L, 6L), (info.FirstOffset, info.LastOffset));
        var headers = TestBatches.Parse(fixture.Log.Read(0, int.MaxValue, long.MaxValue, false));
        Assert.Equal([0L, 2L, 6L], headers.Select(h => h.BaseOffset));
    }

    [Fact]
    public void Round_trip_across_many_rolls_reads_every_batch_back()
    {
        using var fixture = new LogFixture(SmallSegments);
        var bases = new List<long>();
        for (var i = 0; i < 200; i++)
        {
            bases.Add(fixture.Append(1 + (i % 4), timestamp: i, payload: 50 + (i * 7 % 200)).FirstOffset);
        }

        Assert.True(fixture.Log.SegmentCount > 10);
        var read = new List<long>();
        var next = 0L;
        while (next < fixture.Log.LogEndOffset)
        {
            var headers = TestBatches.Parse(fixture.Log.Read(next, 1000, long.MaxValue, true));
            Assert.NotEmpty(headers);
            read.AddRange(headers.Select(h => h.BaseOffset));
            next = headers[^1].NextOffset;
        }
        Assert.Equal(bases, read);
    }

    [Fact]
    public void Every_offset_reads_back_the_batch_that_contains_it()
    {
        using var fixture = new LogFixture(SmallSegments);
        var batches = new List<LogAppendInfo>();
        for (var i = 0; i < 120; i++)
        {
            batches.Add(fixture.Append(1 + (i % 5), timestamp: i, payload: 80));
        }

        foreach (var batch in batches)
        {
            for (var offset = batch.FirstOffset; offset <= batch.LastOffset; offset++)
            {
                var headers = TestBatches.Parse(fixture.Log.Read(offset, 1, long.MaxValue, true));
                var header = Assert.Single(headers);
                Assert.Equal(batch.FirstOffset, header.BaseOffset);
                Assert.Equal(batch.LastOffset, header.LastOffset);
            }
        }
    }

    [Fact]
    public void MaxBytes_limits_to_whole_batches_and_minOneBatch_returns_an_oversized_first_batch()
    {
        using var fixture = new LogFixture(new LogConfig());
        for (var i = 0; i < 5; i++)
        {
            fixture.Append(1, payload: 139);
        }

        Assert.Equal(2, TestBatches.Parse(fixture.Log.Read(0, 450, long.MaxValue, false)).Count);
        Assert.Equal(3, TestBatches.Parse(fixture.Log.Read(0, 600, long.MaxValue, false)).Count);
        Assert.Equal(0, fixture.Log.Read(0, 199, long.MaxValue, false).Records.Length);
        Assert.Equal(200, fixture.Log.Read(0, 199, long.MaxValue, true).Records.Length);
        Assert.Equal(200, fixture.Log.Read(0, 0, long.MaxValue, true).Records.Length);
    }

    [Fact]
    public void MaxOffset_excludes_batches_that_reach_it()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Append(3);
        fixture.Append(3);
        fixture.Append(3);

        Assert.Equal([0L, 3L], TestBatches.Parse(fixture.Log.Read(0, int.MaxValue, 6, false)).Select(h => h.BaseOffset));
        Assert.Equal([0L], TestBatches.Parse(fixture.Log.Read(0, int.MaxValue, 5, false)).Select(h => h.BaseOffset));
        Assert.True(fixture.Log.Read(0, int.MaxValue, 2, true).Records.IsEmpty);
        Assert.True(fixture.Log.Read(6, int.MaxValue, 6, true).Records.IsEmpty);
    }

    [Fact]
    public void Read_reports_log_offsets_and_high_watermark()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Append(4);
        fixture.Log.HighWatermark = 2;

        var result = fixture.Log.Read(0, 100, fixture.Log.HighWatermark, true);

        Assert.Equal((0L, 4L, 2L), (result.LogStartOffset, result.LogEndOffset, result.HighWatermark));
        fixture.Log.HighWatermark = 99;
        Assert.Equal(4, fixture.Log.HighWatermark);
    }

    [Fact]
    public void Reading_at_the_log_end_returns_nothing_and_beyond_or_below_it_throws()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Append(2);

        Assert.True(fixture.Log.Read(2, 100, long.MaxValue, true).Records.IsEmpty);
        var above = Assert.Throws<OffsetOutOfRangeException>(() => fixture.Log.Read(3, 100, long.MaxValue, true));
        Assert.Equal((3L, 0L, 2L), (above.Offset, above.LogStartOffset, above.LogEndOffset));
        Assert.Throws<OffsetOutOfRangeException>(() => fixture.Log.Read(-1, 100, long.MaxValue, true));
    }

    [Fact]
    public void Segments_roll_by_size_and_are_named_by_base_offset()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = 500 });
        for (var i = 0; i < 6; i++)
        {
            fixture.Append(2, payload: 139);
        }

        Assert.Equal(3, fixture.Log.SegmentCount);
        Assert.True(File.Exists(fixture.SegmentFile(4, LogFileNames.LogSuffix)));
        Assert.True(File.Exists(fixture.SegmentFile(8, LogFileNames.LogSuffix)));
        Assert.Equal("00000000000000000004.log", Path.GetFileName(fixture.SegmentFile(4, LogFileNames.LogSuffix)));
        Assert.Equal(400, new FileInfo(fixture.SegmentFile(0, LogFileNames.LogSuffix)).Length);
        Assert.True(fixture.Log.RecoveryPoint >= 8);
    }

    [Fact]
    public void Segments_roll_by_age_of_their_first_append()
    {
        var time = new ManualTime();
        using var fixture = new LogFixture(new LogConfig { SegmentMs = 1000 }, time);
        fixture.Append(1);
        time.Advance(TimeSpan.FromMilliseconds(1000));
        fixture.Append(1);
        Assert.Equal(1, fixture.Log.SegmentCount);
        time.Advance(TimeSpan.FromMilliseconds(1));
        fixture.Append(1);
        Assert.Equal(2, fixture.Log.SegmentCount);
    }

    [Fact]
    public void Segment_jitter_rolls_each_segment_at_its_own_age_within_the_jitter()
    {
        var time = new ManualTime();
        var config = new LogConfig { SegmentMs = 10_000, SegmentJitterMs = 4_000 };
        using var fixture = new LogFixture(config, time);
        fixture.Append(1);
        var active = fixture.Log.Segments[^1];
        var rollAge = active.RollAgeMs(config);
        Assert.InRange(rollAge, 6_001, 10_000);

        time.Advance(TimeSpan.FromMilliseconds(rollAge));
        fixture.Append(1);
        Assert.Equal(1, fixture.Log.SegmentCount);
        time.Advance(TimeSpan.FromMilliseconds(1));
        fixture.Append(1);
        Assert.Equal(2, fixture.Log.SegmentCount);
    }

    [Fact]
    public void Without_jitter_the_roll_age_is_exactly_segment_ms()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentMs = 10_000 }, new ManualTime());
        fixture.Append(1);
        Assert.Equal(10_000, fixture.Log.Segments[^1].RollAgeMs(fixture.Log.Config));
    }

    [Fact]
    public void Segments_roll_when_an_index_is_full_and_rolled_indexes_are_trimmed()
    {
        using var fixture = new LogFixture(new LogConfig { IndexIntervalBytes = 1, SegmentIndexBytes = 24 });
        for (var i = 0; i < 10; i++)
        {
            fixture.Append(1, timestamp: 100 + i);
        }

        Assert.True(fixture.Log.SegmentCount > 1);
        Assert.Equal(0, new FileInfo(fixture.SegmentFile(0, LogFileNames.IndexSuffix)).Length % 8);
        Assert.True(new FileInfo(fixture.SegmentFile(0, LogFileNames.IndexSuffix)).Length <= 24);
        Assert.Equal(24, new FileInfo(fixture.SegmentFile(fixture.Log.Segments[^1].BaseOffset, LogFileNames.IndexSuffix)).Length);
    }

    [Fact]
    public void Active_indexes_are_preallocated_and_trimmed_on_close()
    {
        using var fixture = new LogFixture(new LogConfig { IndexIntervalBytes = 100, SegmentIndexBytes = 1200 });
        for (var i = 0; i < 5; i++)
        {
            fixture.Append(1, timestamp: i + 1);
        }
        Assert.Equal(1200, new FileInfo(fixture.SegmentFile(0, LogFileNames.IndexSuffix)).Length);
        Assert.Equal(1200, new FileInfo(fixture.SegmentFile(0, LogFileNames.TimeIndexSuffix)).Length);

        fixture.Manager.Dispose();

        Assert.Equal(4 * 8, new FileInfo(fixture.SegmentFile(0, LogFileNames.IndexSuffix)).Length);
        Assert.Equal(4 * 12, new FileInfo(fixture.SegmentFile(0, LogFileNames.TimeIndexSuffix)).Length);
    }

    [Fact]
    public void LogAppendTime_stamps_the_batch_and_keeps_its_crc_valid()
    {
        var time = new ManualTime();
        using var fixture = new LogFixture(new LogConfig { LogAppendTime = true }, time);

        var info = fixture.Append(2, timestamp: 5);

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal((now, now), (info.MaxTimestamp, info.LogAppendTimeMs));
        var header = Assert.Single(TestBatches.Parse(fixture.Log.Read(0, 1000, long.MaxValue, true)));
        Assert.Equal(now, header.MaxTimestamp);
        Assert.Equal(TimestampType.LogAppendTime, header.TimestampType);
    }

    [Fact]
    public void Malformed_or_oversized_batches_are_rejected_without_changing_the_log()
    {
        using var fixture = new LogFixture(new LogConfig { MaxMessageBytes = 300 });
        var batch = TestBatches.Build(1, 1);

        Assert.Throws<CorruptRecordException>(() => fixture.Log.Append(batch.AsSpan(0, 100).ToArray(), 0));
        Assert.Throws<CorruptRecordException>(() => fixture.Log.Append([.. batch, 1, 2, 3], 0));
        Assert.Throws<CorruptRecordException>(() => fixture.Log.Append([], 0));
        Assert.Throws<RecordBatchTooLargeException>(() => fixture.Log.Append(TestBatches.Build(1, 1, payloadBytes: 300), 0));
        batch[RecordBatchHeader.MagicOffset] = 1;
        Assert.Throws<CorruptRecordException>(() => fixture.Log.Append(batch, 0));
        Assert.Equal(0, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void FlushIntervalMessages_of_one_flushes_before_the_append_returns()
    {
        using var fixture = new LogFixture(new LogConfig { FlushIntervalMessages = 1 });
        fixture.Append(3);
        Assert.Equal(3, fixture.Log.RecoveryPoint);
        fixture.Append(1);
        Assert.Equal(4, fixture.Log.RecoveryPoint);
    }

    [Fact]
    public void Without_a_flush_interval_the_recovery_point_moves_on_flush()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Append(3);
        Assert.Equal(0, fixture.Log.RecoveryPoint);
        fixture.Log.Flush();
        Assert.Equal(3, fixture.Log.RecoveryPoint);
    }

    [Fact]
    public async Task Reads_run_alongside_appends()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = 4096, IndexIntervalBytes = 256 });
        using var done = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            var reads = 0;
            while (!done.IsCancellationRequested || reads == 0)
            {
                var leo = fixture.Log.LogEndOffset;
                if (leo > 0)
                {
                    var offset = Random.Shared.NextInt64(leo);
                    var header = TestBatches.Parse(fixture.Log.Read(offset, 1, long.MaxValue, true))[0];
                    Assert.InRange(offset, header.BaseOffset, header.LastOffset);
                    reads++;
                }
            }
            return reads;
        });
        for (var i = 0; i < 2000; i++)
        {
            fixture.Append(1 + (i % 3));
        }
        await done.CancelAsync();
        Assert.True(await reader > 0);
    }
}
