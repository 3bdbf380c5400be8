using Freshet.Storage.Epochs;

namespace Freshet.Storage.Tests.Epochs;

public sealed class LogEpochTests
{
    private static readonly LogConfig Small = new() { SegmentBytes = 1000, IndexIntervalBytes = 150 };

    private static string CheckpointPath(LogFixture fixture) => Path.Combine(fixture.PartitionDir, LogFileNames.LeaderEpochCheckpoint);

    private static LogAppendInfo Append(LogFixture fixture, int leaderEpoch, int records = 2) =>
        fixture.Log.Append(TestBatches.Build(records, 1000, 80), leaderEpoch);

    /// <summary>Epochs 1, 2 and 4 over several segments: (1, 0), (2, 20), (4, 40); the log ends at 60.</summary>
    private static void AppendThreeEpochs(LogFixture fixture)
    {
        foreach (var epoch in new[] { 1, 2, 4 })
        {
            for (var i = 0; i < 10; i++)
            {
                Append(fixture, epoch);
            }
        }
    }

    private static readonly EpochEntry[] ThreeEpochs = [new(1, 0), new(2, 20), new(4, 40)];

    [Fact]
    public void Leader_append_assigns_each_new_epoch_at_its_first_offset()
    {
        using var fixture = new LogFixture(Small);

        AppendThreeEpochs(fixture);
        Append(fixture, leaderEpoch: 3);

        Assert.Equal(ThreeEpochs, fixture.Log.LeaderEpochs.Entries);
        Assert.Equal(4, fixture.Log.LatestEpoch);
        Assert.Equal("0\n3\n1 0\n2 20\n4 40\n", File.ReadAllText(CheckpointPath(fixture)));
    }

    [Fact]
    public void New_leader_assigns_its_epoch_at_the_log_end_before_writing()
    {
        using var fixture = new LogFixture(Small);
        AppendThreeEpochs(fixture);

        fixture.Log.AssignEpochStartOffset(6, fixture.Log.LogEndOffset);

        Assert.Equal((4, 60L), fixture.Log.EndOffsetForEpoch(4));
        Assert.Equal((6, 60L), fixture.Log.EndOffsetForEpoch(6));
        Append(fixture, leaderEpoch: 6);
        Assert.Equal((6, 62L), fixture.Log.EndOffsetForEpoch(6));
        Assert.Equal((2, 40L), fixture.Log.EndOffsetForEpoch(3));
        Assert.Equal((1, 20L), fixture.Log.EndOffsetForEpoch(1));
        Assert.Equal((-1, -1L), fixture.Log.EndOffsetForEpoch(7));
    }

    [Fact]
    public void Epochs_survive_a_clean_restart_and_a_crash()
    {
        using var fixture = new LogFixture(Small);
        AppendThreeEpochs(fixture);

        fixture.Reopen();
        Assert.Equal(ThreeEpochs, fixture.Log.LeaderEpochs.Entries);

        fixture.Log.Flush();
        fixture.CrashAndRestart(recoveryCheckpoint: null);
        Assert.Equal(ThreeEpochs, fixture.Log.LeaderEpochs.Entries);
    }

    [Fact]
    public void Missing_checkpoint_is_rebuilt_from_the_batches_after_a_clean_restart()
    {
        using var fixture = new LogFixture(Small);
        AppendThreeEpochs(fixture);
        Assert.True(fixture.Log.SegmentCount > 3);
        fixture.Manager.Dispose();
        File.Delete(CheckpointPath(fixture));

        fixture.Start();

        Assert.Equal(ThreeEpochs, fixture.Log.LeaderEpochs.Entries);
        Assert.Equal("0\n3\n1 0\n2 20\n4 40\n", File.ReadAllText(CheckpointPath(fixture)));
    }

    [Fact]
    public void Corrupt_checkpoint_is_rebuilt_from_the_batches_after_a_crash()
    {
        using var fixture = new LogFixture(Small);
        AppendThreeEpochs(fixture);
        var checkpoint = fixture.FlushAndCheckpoint();
        Append(fixture, leaderEpoch: 5);

        fixture.CrashAndRestart(checkpoint, damage: () => File.WriteAllText(CheckpointPath(fixture), "0\n2\n1 0\n"));

        Assert.Equal([.. ThreeEpochs, new EpochEntry(5, 60)], fixture.Log.LeaderEpochs.Entries);
    }

    [Fact]
    public void Epochs_of_batches_a_crash_lost_are_dropped_at_load()
    {
        using var fixture = new LogFixture(Small);
        AppendThreeEpochs(fixture);
        var checkpoint = fixture.FlushAndCheckpoint();
        var active = fixture.Log.Segments[^1];
        var flushedLength = active.Size;
        var activeLog = active.LogPath;
        Append(fixture, leaderEpoch: 5);
        Append(fixture, leaderEpoch: 5);
        Assert.Equal(5, fixture.Log.LatestEpoch);

        fixture.CrashAndRestart(checkpoint, damage: () =>
        {
            using var file = new FileStream(activeLog, FileMode.Open);
            file.SetLength(flushedLength);
        });

        Assert.Equal(60, fixture.Log.LogEndOffset);
        Assert.Equal(ThreeEpochs, fixture.Log.LeaderEpochs.Entries);
        Assert.Equal("0\n3\n1 0\n2 20\n4 40\n", File.ReadAllText(CheckpointPath(fixture)));
    }

    [Fact]
    public void DeleteRecords_and_retention_move_the_first_epoch_start_up()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = 1000, IndexIntervalBytes = 150, FileDeleteDelayMs = 0, RetentionMs = -1 });
        AppendThreeEpochs(fixture);
        fixture.Log.HighWatermark = fixture.Log.LogEndOffset;

        fixture.Log.DeleteRecordsBefore(25);
        Assert.Equal([new EpochEntry(2, 25), new EpochEntry(4, 40)], fixture.Log.LeaderEpochs.Entries);

        Assert.True(fixture.Manager.RunRetention() > 0);
        Assert.Equal(25, fixture.Log.LogStartOffset);
        Assert.Equal([new EpochEntry(2, 25), new EpochEntry(4, 40)], fixture.Log.LeaderEpochs.Entries);

        fixture.Log.DeleteRecordsBefore(50);
        fixture.Reopen();
        Assert.Equal([new EpochEntry(4, 50)], fixture.Log.LeaderEpochs.Entries);
    }
}
