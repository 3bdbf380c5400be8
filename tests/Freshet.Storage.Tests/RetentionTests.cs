namespace Freshet.Storage.Tests;

/// <summary>retention.ms, retention.bytes, DeleteRecords and the delayed removal of <c>.deleted</c> files.</summary>
public sealed class RetentionTests
{
    // TestBatches.Build(n, ts) is 161 bytes: three batches fill a 500-byte segment.
    private const int BatchBytes = 161;

    private static long Now(ManualTime time) => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static LogFixture NewFixture(ManualTime time, long retentionMs = -1, long retentionBytes = -1, long fileDeleteDelayMs = 60000) =>
        new(new LogConfig { SegmentBytes = 500, RetentionMs = retentionMs, RetentionBytes = retentionBytes, FileDeleteDelayMs = fileDeleteDelayMs }, time);

    /// <summary>Appends one 2-record batch per timestamp and commits it all (high watermark = log end).</summary>
    private static void AppendCommitted(LogFixture fixture, params long[] timestamps)
    {
        foreach (var timestamp in timestamps)
        {
            fixture.Append(2, timestamp);
        }
        fixture.Log.HighWatermark = fixture.Log.LogEndOffset;
    }

    [Fact]
    public void Time_retention_deletes_whole_expired_segments_and_moves_the_log_start()
    {
        var time = new ManualTime();
        using var fixture = NewFixture(time, retentionMs: 10_000);
        var old = Now(time) - 60_000;
        var recent = Now(time);
        // Segments [0..6) and [6..12) are old; [12..18) mixes an old and a recent batch; [18..) is active and recent.
        AppendCommitted(fixture, old, old, old, old, old, old, old, recent, recent, recent);
        Assert.Equal(4, fixture.Log.SegmentCount);

        Assert.Equal(2, fixture.Manager.RunRetention());

        Assert.Equal(2, fixture.Log.SegmentCount);
        Assert.Equal(12, fixture.Log.LogStartOffset);
        Assert.Throws<OffsetOutOfRangeException>(() => fixture.Log.Read(11, 1000, long.MaxValue, true));
        Assert.Equal(12, TestBatches.Parse(fixture.Log.Read(12, 1000, long.MaxValue, true))[0].BaseOffset);
        Assert.True(File.Exists(fixture.SegmentFile(0, LogFileNames.LogSuffix + LogFileNames.DeletedSuffix)));
        Assert.False(File.Exists(fixture.SegmentFile(0, LogFileNames.LogSuffix)));
        Assert.Equal(0, fixture.Manager.RunRetention());
    }

    [Fact]
    public void Deleted_files_are_removed_after_file_delete_delay_ms()
    {
        var time = new ManualTime();
        using var fixture = NewFixture(time, retentionMs: 10_000, fileDeleteDelayMs: 5_000);
        AppendCommitted(fixture, 1, 1, 1, Now(time));
        Assert.Equal(1, fixture.Manager.RunRetention());
        string[] deleted = [LogFileNames.LogSuffix, LogFileNames.IndexSuffix, LogFileNames.TimeIndexSuffix];
        Assert.All(deleted, suffix => Assert.True(File.Exists(fixture.SegmentFile(0, suffix + LogFileNames.DeletedSuffix))));

        time.Advance(TimeSpan.FromMilliseconds(4_999));
        Assert.Equal(0, fixture.Manager.DeleteDueSegmentFiles());
        Assert.Equal(1, fixture.Manager.PendingSegmentDeletes);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, fixture.Manager.DeleteDueSegmentFiles());

        Assert.Equal(0, fixture.Manager.PendingSegmentDeletes);
        Assert.Empty(Directory.EnumerateFiles(fixture.PartitionDir, "*" + LogFileNames.DeletedSuffix));
    }

    [Fact]
    public void A_read_that_found_a_segment_before_its_deletion_still_reads_it()
    {
        var time = new ManualTime();
        using var fixture = NewFixture(time, retentionMs: 10_000);
        AppendCommitted(fixture, 1, 1, 1, Now(time));
        var region = fixture.Log.Read(0, 10_000, long.MaxValue, true).Records;

        Assert.Equal(1, fixture.Manager.RunRetention());

        Assert.Equal([0L, 2, 4], TestBatches.Parse(region.ToArray()).Select(h => h.BaseOffset));
    }

    [Fact]
    public void Size_retention_keeps_at_least_retention_bytes()
    {
        var time = new ManualTime();
        using var fixture = NewFixture(time, retentionBytes: 5 * BatchBytes);
        AppendCommitted(fixture, [.. Enumerable.Repeat(Now(time), 10)]);
        // Segments of 3, 3, 3 and 1 batches: 10 batches, 5 over the limit; the first segment goes, the second would leave 4.
        Assert.Equal(1, fixture.Manager.RunRetention());

        Assert.Equal(6, fixture.Log.LogStartOffset);
        Assert.Equal(3, fixture.Log.SegmentCount);
        Assert.Equal(0, fixture.Manager.RunRetention());
    }

    [Fact]
    public void An_expired_active_segment_is_rolled_and_deleted_and_appends_go_on_at_the_log_end()
    {
        var time = new ManualTime();
        using var fixture = NewFixture(time, retentionMs: 10_000);
        AppendCommitted(fixture, 1, 1, 1, 1);

        Assert.Equal(2, fixture.Manager.RunRetention());

        Assert.Equal(1, fixture.Log.SegmentCount);
        Assert.Equal(8, fixture.Log.LogStartOffset);
        Assert.Equal(8, fixture.Log.LogEndOffset);
        Assert.True(fixture.Log.Read(8, 1000, long.MaxValue, true).Records.IsEmpty);
        Assert.Equal(8, fixture.Append(1, Now(time)).FirstOffset);
        fixture.Reopen();
        Assert.Equal(8, fixture.Log.LogStartOffset);
        Assert.Equal(9, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void Nothing_above_the_high_watermark_is_deleted()
    {
        var time = new ManualTime();
        using var fixture = NewFixture(time, retentionMs: 10_000);
        AppendCommitted(fixture, 1, 1, 1, 1, 1, 1, 1);
        fixture.Log.HighWatermark = 7;

        // Segment [0..6) is committed; [6..12) ends above the high watermark of 7.
        Assert.Equal(1, fixture.Manager.RunRetention());
        Assert.Equal(6, fixture.Log.LogStartOffset);
    }

    [Fact]
    public void Compact_only_logs_ignore_time_and_size_retention()
    {
        var time = new ManualTime();
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = 500, RetentionMs = 1, RetentionBytes = 1, CleanupPolicy = "compact" }, time);
        AppendCommitted(fixture, 1, 1, 1, 1, 1);
        Assert.Equal(0, fixture.Manager.RunRetention());
        Assert.Equal(0, fixture.Log.LogStartOffset);
    }

    [Fact]
    public void DeleteRecords_moves_the_log_start_and_retention_then_drops_the_segments_below_it()
    {
        var time = new ManualTime();
        using var fixture = NewFixture(time);
        AppendCommitted(fixture, [.. Enumerable.Repeat(Now(time), 10)]);

        Assert.Equal(7, fixture.Log.DeleteRecordsBefore(7));
        Assert.Equal(7, fixture.Log.DeleteRecordsBefore(3));
        Assert.Throws<OffsetOutOfRangeException>(() => fixture.Log.DeleteRecordsBefore(fixture.Log.HighWatermark + 1));
        Assert.Throws<OffsetOutOfRangeException>(() => fixture.Log.Read(6, 1000, long.MaxValue, true));
        // Reading from inside a batch returns the whole batch, as any read does.
        Assert.Equal(6, TestBatches.Parse(fixture.Log.Read(7, 1000, long.MaxValue, true))[0].BaseOffset);

        Assert.Equal(1, fixture.Manager.RunRetention());
        Assert.Equal(7, fixture.Log.LogStartOffset);
        Assert.Equal(6, fixture.Log.Segments[0].BaseOffset);

        fixture.Reopen();
        Assert.Equal(7, fixture.Log.LogStartOffset);
        Assert.Throws<OffsetOutOfRangeException>(() => fixture.Log.Read(6, 1000, long.MaxValue, true));
    }

    [Fact]
    public void A_follower_takes_the_leaders_log_start_up_to_its_high_watermark_and_never_back()
    {
        var time = new ManualTime();
        using var fixture = NewFixture(time);
        AppendCommitted(fixture, [.. Enumerable.Repeat(Now(time), 10)]);
        fixture.Log.HighWatermark = 12;

        Assert.Equal(0, fixture.Log.FollowLeaderLogStartOffset(0));
        Assert.Equal(7, fixture.Log.FollowLeaderLogStartOffset(7));
        Assert.Equal(7, fixture.Log.FollowLeaderLogStartOffset(3));
        // Never past what this replica knows to be committed; the rest follows once its high watermark does.
        Assert.Equal(12, fixture.Log.FollowLeaderLogStartOffset(15));
        Assert.Throws<OffsetOutOfRangeException>(() => fixture.Log.Read(11, 1000, long.MaxValue, true));

        Assert.Equal(2, fixture.Manager.RunRetention());
        Assert.Equal(12, fixture.Log.Segments[0].BaseOffset);
        fixture.Reopen();
        Assert.Equal(12, fixture.Log.LogStartOffset);
    }

    [Fact]
    public void DeleteRecords_at_the_high_watermark_empties_the_log_at_the_next_pass()
    {
        var time = new ManualTime();
        using var fixture = NewFixture(time);
        AppendCommitted(fixture, [.. Enumerable.Repeat(Now(time), 4)]);

        Assert.Equal(8, fixture.Log.DeleteRecordsBefore(fixture.Log.HighWatermark));
        Assert.Equal(2, fixture.Manager.RunRetention());

        Assert.Equal(1, fixture.Log.SegmentCount);
        Assert.Equal(8, fixture.Log.Segments[0].BaseOffset);
    }

    [Fact]
    public void Deleted_files_left_by_a_crash_are_removed_at_start_up()
    {
        var time = new ManualTime();
        using var fixture = NewFixture(time, retentionMs: 10_000);
        AppendCommitted(fixture, 1, 1, 1, Now(time));
        Assert.Equal(1, fixture.Manager.RunRetention());
        var checkpoint = fixture.FlushAndCheckpoint();

        fixture.CloseUncleanly(checkpoint, damage: () =>
            File.WriteAllText(fixture.SegmentFile(0, LogFileNames.LogSuffix + LogFileNames.DeletedSuffix), "left over"));
        fixture.Start();

        Assert.Empty(Directory.EnumerateFiles(fixture.PartitionDir, "*" + LogFileNames.DeletedSuffix));
        Assert.Equal(6, fixture.Log.LogStartOffset);
        Assert.Equal(8, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void Deleting_the_log_while_segment_files_wait_for_removal_is_harmless()
    {
        var time = new ManualTime();
        using var fixture = NewFixture(time, retentionMs: 10_000);
        AppendCommitted(fixture, 1, 1, 1, Now(time));
        Assert.Equal(1, fixture.Manager.RunRetention());

        fixture.Manager.DeleteLog(LogFixture.Tp);
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(1, fixture.Manager.DeleteDueSegmentFiles());
        Assert.Equal(0, fixture.Manager.PendingSegmentDeletes);
    }

    [Fact]
    public async Task Reads_racing_retention_get_records_or_offset_out_of_range()
    {
        var time = new ManualTime();
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = 500, RetentionBytes = 2000, FileDeleteDelayMs = 0 }, time);
        using var stop = new CancellationTokenSource();
        var failures = new List<Exception>();
        var reader = Task.Run(() =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested || reads < 100)
            {
                var log = fixture.Log;
                var offset = log.LogStartOffset + (reads % 3);
                try
                {
                    var region = log.Read(Math.Min(offset, log.LogEndOffset), 2000, long.MaxValue, true).Records;
                    log.FindOffsetByTimestamp(reads % 50);
                    try
                    {
                        region.ToArray();
                    }
                    catch (ObjectDisposedException)
                    {
                        // A region copied after its file went is the caller's to handle (FetchHandler answers OFFSET_OUT_OF_RANGE).
                    }
                }
                catch (OffsetOutOfRangeException)
                {
                }
                catch (Exception e)
                {
                    lock (failures)
                    {
                        failures.Add(e);
                    }
                }
                reads++;
            }
        });
        for (var i = 0; i < 300; i++)
        {
            AppendCommitted(fixture, i);
            fixture.Manager.RunRetention();
        }
        stop.Cancel();
        await reader.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(failures);
        Assert.True(fixture.Log.LogStartOffset > 0);
        Assert.Equal(600, fixture.Log.LogEndOffset);
    }
}
