using Freshet.Protocol.Records;
using Freshet.Storage.Epochs;

namespace Freshet.Storage.Tests.Replication;

public sealed class TruncationTests
{
    private static string EpochCheckpoint(LogFixture fixture) => Path.Combine(fixture.PartitionDir, LogFileNames.LeaderEpochCheckpoint);

    /// <summary>A leader's log over many segments and a follower's full copy of it.</summary>
    private static (LogFixture Leader, LogFixture Follower) Replicated()
    {
        var leader = new LogFixture(LeaderLogs.Small);
        var follower = new LogFixture(LeaderLogs.Small);
        LeaderLogs.Fill(leader.Log, rounds: 8);
        LeaderLogs.Replicate(leader.Log, follower.Log);
        return (leader, follower);
    }

    /// <summary>What the follower must hold after a truncation to <paramref name="end"/>: a copy of the leader's batches below it.</summary>
    private static void AssertLikeLeaderPrefix(PartitionLog leader, PartitionLog follower, long end)
    {
        using var reference = new LogFixture(LeaderLogs.Small);
        foreach (var fetch in LeaderLogs.Fetches(leader, 0, 1))
        {
            if (TestBatches.Parse(fetch)[0].BaseOffset < end)
            {
                reference.Log.AppendAsFollower(fetch);
            }
        }
        Assert.Equal(end, follower.LogEndOffset);
        LeaderLogs.AssertSameLog(reference.Log, follower);
    }

    public enum Cut
    {
        MiddleOfSegment,
        SegmentBoundary,
        AcrossSegments,
        InsideBatch,
    }

    /// <summary>The offset to truncate to, and the log end it must give.</summary>
    private static (long Offset, long End) Choose(PartitionLog log, Cut cut)
    {
        var segments = log.Segments;
        var headers = LeaderLogs.Headers(log);
        switch (cut)
        {
            case Cut.SegmentBoundary:
                var boundary = segments[segments.Count / 2].BaseOffset;
                return (boundary, boundary);
            case Cut.AcrossSegments:
                var early = headers.First(h => h.BaseOffset > segments[1].BaseOffset).BaseOffset;
                return (early, early);
            case Cut.InsideBatch:
                var wide = headers.Last(h => h.LastOffsetDelta > 0 && h.BaseOffset > segments[segments.Count / 2].BaseOffset);
                return (wide.BaseOffset + 1, wide.BaseOffset);
            default:
                var segment = segments[segments.Count / 2];
                var middle = headers.Where(h => h.BaseOffset > segment.BaseOffset && h.LastOffset < segment.NextOffset - 1).ElementAt(1).BaseOffset;
                return (middle, middle);
        }
    }

    [Theory]
    [InlineData(Cut.MiddleOfSegment)]
    [InlineData(Cut.SegmentBoundary)]
    [InlineData(Cut.AcrossSegments)]
    [InlineData(Cut.InsideBatch)]
    public void Truncation_leaves_the_leaders_prefix_then_appends_continue_and_restarts_agree(Cut cut)
    {
        var (leader, follower) = Replicated();
        using (leader)
        using (follower)
        {
            var segmentsBefore = follower.Log.SegmentCount;
            var (offset, end) = Choose(follower.Log, cut);
            follower.Log.HighWatermark = follower.Log.LogEndOffset;
            follower.Log.Flush();

            Assert.True(follower.Log.TruncateTo(offset));

            AssertLikeLeaderPrefix(leader.Log, follower.Log, end);
            Assert.True(follower.Log.SegmentCount < segmentsBefore || cut == Cut.MiddleOfSegment);
            Assert.Equal(end, follower.Log.HighWatermark);
            Assert.Equal(end, follower.Log.RecoveryPoint);
            Assert.All(Directory.GetFiles(follower.PartitionDir, "*" + LogFileNames.SnapshotSuffix), path =>
                Assert.True(long.Parse(Path.GetFileNameWithoutExtension(path), System.Globalization.CultureInfo.InvariantCulture) <= end));

            follower.Reopen();
            AssertLikeLeaderPrefix(leader.Log, follower.Log, end);

            LeaderLogs.Replicate(leader.Log, follower.Log);
            LeaderLogs.AssertSameLog(leader.Log, follower.Log);
            follower.Log.Flush();
            follower.CrashAndRestart(recoveryCheckpoint: null);
            LeaderLogs.AssertSameLog(leader.Log, follower.Log);
        }
    }

    [Fact]
    public void Producers_last_sequence_after_truncation_is_the_one_before_the_cut()
    {
        var (leader, follower) = Replicated();
        using (leader)
        using (follower)
        {
            var headers = LeaderLogs.Headers(follower.Log);
            var producer7 = headers.Where(h => h.ProducerId == 7).ToList();
            var cut = producer7[4].BaseOffset;

            follower.Log.TruncateTo(cut);

            var state = follower.Log.ActiveProducers().Single(p => p.ProducerId == 7);
            Assert.Equal(producer7[3].BaseSequence + producer7[3].LastOffsetDelta, state.LastSequence);
            Assert.Equal(7, state.LastSequence);
            follower.Reopen();
            Assert.Equal(7, follower.Log.ActiveProducers().Single(p => p.ProducerId == 7).LastSequence);
        }
    }

    [Fact]
    public void Truncation_at_or_past_the_log_end_removes_nothing_but_an_epoch_that_wrote_nothing()
    {
        var (leader, follower) = Replicated();
        using (leader)
        using (follower)
        {
            var end = follower.Log.LogEndOffset;
            var bytes = LeaderLogs.AllBytes(follower.Log);
            follower.Log.AssignEpochStartOffset(9, end);
            Assert.Equal(9, follower.Log.LatestEpoch);

            Assert.False(follower.Log.TruncateTo(end + 10));
            Assert.False(follower.Log.TruncateTo(end));

            Assert.Equal(3, follower.Log.LatestEpoch);
            Assert.Equal(end, follower.Log.LogEndOffset);
            Assert.Equal(bytes, LeaderLogs.AllBytes(follower.Log));
        }
    }

    [Fact]
    public void TruncateFullyAndStartAt_empties_the_log_and_restarts_it_at_the_new_offset()
    {
        var (leader, follower) = Replicated();
        using (leader)
        using (follower)
        {
            follower.Log.TruncateFullyAndStartAt(5000);

            Assert.Equal(1, follower.Log.SegmentCount);
            Assert.Equal(5000, follower.Log.LogStartOffset);
            Assert.Equal(5000, follower.Log.LogEndOffset);
            Assert.Equal(5000, follower.Log.HighWatermark);
            Assert.Empty(follower.Log.LeaderEpochs.Entries);
            Assert.Empty(follower.Log.ActiveProducers());
            Assert.Equal(long.MaxValue, follower.Log.FirstUnstableOffset);
            Assert.Empty(Directory.GetFiles(follower.PartitionDir, "*" + LogFileNames.SnapshotSuffix));
            Assert.Throws<OffsetOutOfRangeException>(() => follower.Log.Read(10, 100, long.MaxValue, true));

            follower.Log.AppendAsFollower(FollowerAppendTests.WithOffsetAndEpoch(TestBatches.Build(2, 1000), 5000, 7));
            follower.Reopen();
            Assert.Equal(5000, follower.Log.LogStartOffset);
            Assert.Equal(5002, follower.Log.LogEndOffset);
            Assert.Equal([new EpochEntry(7, 5000)], follower.Log.LeaderEpochs.Entries);
            Assert.Empty(Directory.GetFiles(follower.PartitionDir, "*" + LogFileNames.DeletedSuffix));
        }
    }

    [Fact]
    public void Truncation_below_the_first_segment_starts_the_log_again()
    {
        using var follower = new LogFixture(LeaderLogs.Small);
        follower.Log.TruncateFullyAndStartAt(100);
        follower.Log.AppendAsFollower(FollowerAppendTests.WithOffsetAndEpoch(TestBatches.Build(2, 1000), 100, 1));

        Assert.True(follower.Log.TruncateTo(50));

        Assert.Equal(50, follower.Log.LogStartOffset);
        Assert.Equal(50, follower.Log.LogEndOffset);
        Assert.Empty(follower.Log.LeaderEpochs.Entries);
    }

    [Fact]
    public void Crash_after_a_truncation_does_not_bring_back_what_it_removed()
    {
        var (leader, follower) = Replicated();
        using (leader)
        using (follower)
        {
            follower.Log.HighWatermark = follower.Log.LogEndOffset;
            var staleCheckpoint = follower.FlushAndCheckpoint();
            var staleEpochs = File.ReadAllText(EpochCheckpoint(follower));
            var (offset, end) = Choose(follower.Log, Cut.MiddleOfSegment);

            follower.Log.TruncateTo(offset);

            // The offset checkpoints and the epoch checkpoint are still the ones from before the truncation.
            follower.CrashAndRestart(staleCheckpoint, damage: () => File.WriteAllText(EpochCheckpoint(follower), staleEpochs));
            AssertLikeLeaderPrefix(leader.Log, follower.Log, end);
            Assert.Equal(end, follower.Log.HighWatermark);
            Assert.Empty(Directory.GetFiles(follower.PartitionDir, "*" + LogFileNames.DeletedSuffix));
        }
    }

    [Fact]
    public void Crash_part_way_through_deleting_segments_leaves_a_consistent_prefix()
    {
        var (leader, follower) = Replicated();
        using (leader)
        using (follower)
        {
            var segments = follower.Log.Segments;
            var firstGone = segments[segments.Count - 2].BaseOffset;
            var goneBases = segments.Skip(segments.Count - 2).Select(s => s.BaseOffset).ToList();
            var checkpoint = follower.FlushAndCheckpoint();

            // As a truncation that renamed the last two segments .deleted and then lost power.
            follower.CrashAndRestart(checkpoint, damage: () =>
            {
                foreach (var baseOffset in goneBases)
                {
                    foreach (var suffix in new[] { LogFileNames.LogSuffix, LogFileNames.IndexSuffix, LogFileNames.TimeIndexSuffix })
                    {
                        var path = follower.SegmentFile(baseOffset, suffix);
                        File.Move(path, path + LogFileNames.DeletedSuffix);
                    }
                }
            });

            AssertLikeLeaderPrefix(leader.Log, follower.Log, firstGone);
            Assert.Empty(Directory.GetFiles(follower.PartitionDir, "*" + LogFileNames.DeletedSuffix));
            LeaderLogs.Replicate(leader.Log, follower.Log);
            LeaderLogs.AssertSameLog(leader.Log, follower.Log);
        }
    }

    [Fact]
    public async Task Concurrent_reads_see_data_or_out_of_range_while_the_log_is_truncated_and_refilled()
    {
        var (leader, follower) = Replicated();
        using (leader)
        using (follower)
        {
            var end = leader.Log.LogEndOffset;
            using var stop = new CancellationTokenSource();
            var reads = 0;
            var readers = Enumerable.Range(0, 2).Select(seed => Task.Run(() =>
            {
                var random = new Random(seed);
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var result = follower.Log.Read(random.NextInt64(0, end), 800, long.MaxValue, minOneBatch: true);
                        Assert.True(result.Records.Length >= 0);
                        Interlocked.Increment(ref reads);
                    }
                    catch (OffsetOutOfRangeException)
                    {
                    }
                }
            })).ToList();

            var random = new Random(42);
            // At least 30 rounds, and on until the readers have really run alongside (a busy machine may start them late).
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            for (var round = 0; round < 30 || (Volatile.Read(ref reads) < 100 && DateTime.UtcNow < deadline); round++)
            {
                follower.Log.TruncateTo(random.NextInt64(0, end));
                LeaderLogs.Replicate(leader.Log, follower.Log, 3000);
            }
            await stop.CancelAsync();
            await Task.WhenAll(readers);

            Assert.True(reads > 0);
            LeaderLogs.AssertSameLog(leader.Log, follower.Log);
        }
    }

    [Fact]
    public void Cleaned_segment_read_before_a_truncation_is_not_swapped_in_after_it()
    {
        var (leader, follower) = Replicated();
        using (leader)
        using (follower)
        {
            var segment = follower.Log.Segments[1];
            var truncations = follower.Log.Truncations;
            var cleaned = Freshet.Storage.Cleaner.SegmentCleaner.CleanedPath(segment);
            follower.Log.TruncateTo(follower.Log.Segments[^2].BaseOffset + 1);
            LeaderLogs.Replicate(leader.Log, follower.Log);
            File.Copy(segment.LogPath, cleaned);

            Assert.False(follower.Log.ReplaceSegment(segment, cleaned, truncations));
            Assert.False(File.Exists(cleaned));

            File.Copy(segment.LogPath, cleaned);
            Assert.True(follower.Log.ReplaceSegment(segment, cleaned, follower.Log.Truncations));
            LeaderLogs.AssertSameLog(leader.Log, follower.Log);
        }
    }
}
