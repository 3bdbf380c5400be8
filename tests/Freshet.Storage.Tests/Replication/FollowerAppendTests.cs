using System.Buffers.Binary;
using Freshet.Protocol.Records;
using Freshet.Storage.Tests.Producers;

namespace Freshet.Storage.Tests.Replication;

public sealed class FollowerAppendTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(700)]
    [InlineData(5000)]
    public void Follower_copy_is_byte_identical_with_the_same_epochs_producers_and_aborted_transactions(int fetchBytes)
    {
        using var leader = new LogFixture(LeaderLogs.Small);
        using var follower = new LogFixture(LeaderLogs.Small);
        LeaderLogs.Fill(leader.Log);

        LeaderLogs.Replicate(leader.Log, follower.Log, fetchBytes);

        LeaderLogs.AssertSameLog(leader.Log, follower.Log);
        Assert.Equal([new(1, 0), new Freshet.Storage.Epochs.EpochEntry(3, leader.Log.LeaderEpochs.Entries[1].StartOffset)], follower.Log.LeaderEpochs.Entries);
        Assert.NotEqual(long.MaxValue, follower.Log.FirstUnstableOffset);
        Assert.Equal(6, follower.Log.CollectAbortedTransactions(0, long.MaxValue).Count);
        Assert.True(follower.Log.SegmentCount > 3);
        Assert.All(follower.Log.Segments, segment => Assert.True(segment.Size <= LeaderLogs.Small.SegmentBytes));

        follower.Reopen();
        LeaderLogs.AssertSameLog(leader.Log, follower.Log);
        follower.Log.Flush();
        follower.CrashAndRestart(recoveryCheckpoint: null);
        LeaderLogs.AssertSameLog(leader.Log, follower.Log);
    }

    [Fact]
    public void Batch_starting_below_the_log_end_is_refused_and_nothing_is_written()
    {
        using var leader = new LogFixture(LeaderLogs.Small);
        using var follower = new LogFixture(LeaderLogs.Small);
        LeaderLogs.Fill(leader.Log, rounds: 2);
        LeaderLogs.Replicate(leader.Log, follower.Log);
        var before = LeaderLogs.AllBytes(follower.Log);

        var again = leader.Log.Read(3, 2000, long.MaxValue, minOneBatch: true).Records.ToArray();
        var error = Assert.Throws<UnexpectedAppendOffsetException>(() => follower.Log.AppendAsFollower(again));

        Assert.Equal(3, error.FirstOffset);
        Assert.Equal(leader.Log.LogEndOffset, error.LogEndOffset);
        Assert.Equal(before, LeaderLogs.AllBytes(follower.Log));
        Assert.Equal(leader.Log.LogEndOffset, follower.Log.LogEndOffset);
    }

    [Fact]
    public void Batch_past_the_log_end_is_taken_as_a_gap_a_cleaned_leader_log_leaves()
    {
        using var follower = new LogFixture(LeaderLogs.Small);
        follower.Log.AppendAsFollower(WithOffsetAndEpoch(TestBatches.Build(2, 1000), 0, 1));

        follower.Log.AppendAsFollower(WithOffsetAndEpoch(TestBatches.Build(3, 1000), 10, 2));

        Assert.Equal(13, follower.Log.LogEndOffset);
        Assert.Equal([0L, 10L], LeaderLogs.Headers(follower.Log).Select(h => h.BaseOffset));
        Assert.Equal([new(1, 0), new Freshet.Storage.Epochs.EpochEntry(2, 10)], follower.Log.LeaderEpochs.Entries);
    }

    [Fact]
    public void Corrupt_or_disordered_batches_are_refused()
    {
        using var follower = new LogFixture(LeaderLogs.Small);
        var good = WithOffsetAndEpoch(TestBatches.Build(2, 1000), 0, 1);

        var badCrc = (byte[])good.Clone();
        badCrc[^1] ^= 0xFF;
        Assert.Throws<CorruptRecordException>(() => follower.Log.AppendAsFollower(badCrc));

        byte[] disordered = [.. WithOffsetAndEpoch(TestBatches.Build(2, 1000), 0, 1), .. WithOffsetAndEpoch(TestBatches.Build(2, 1000), 1, 1)];
        Assert.Throws<CorruptRecordException>(() => follower.Log.AppendAsFollower(disordered));

        Assert.Throws<CorruptRecordException>(() => follower.Log.AppendAsFollower(good.AsSpan(0, 40).ToArray()));
        Assert.Throws<CorruptRecordException>(() => follower.Log.AppendAsFollower([]));
        Assert.Throws<RecordBatchTooLargeException>(() => follower.Log.AppendAsFollower(WithOffsetAndEpoch(TestBatches.Build(1, 1000, 1200), 0, 1)));

        Assert.Equal(0, follower.Log.LogEndOffset);
        follower.Log.AppendAsFollower(good);
        Assert.Equal(2, follower.Log.LogEndOffset);
    }

    [Fact]
    public void Producer_state_takes_the_leaders_batches_without_sequence_or_epoch_checks()
    {
        using var follower = new LogFixture(LeaderLogs.Small);
        var offset = 0L;
        foreach (var (epoch, sequence) in new (short, int)[] { (2, 0), (2, 5), (1, 9) })
        {
            var batch = WithOffsetAndEpoch(ProducerBatches.Data(42, epoch, sequence), offset, 4);
            follower.Log.AppendAsFollower(batch);
            offset++;
        }

        var producer = Assert.Single(follower.Log.ActiveProducers());
        Assert.Equal(1, producer.Epoch);
        Assert.Equal(9, producer.LastSequence);
    }

    [Fact]
    public void Follower_may_keep_a_high_watermark_below_its_log_end_across_a_restart_but_never_above_it()
    {
        using var leader = new LogFixture(LeaderLogs.Small);
        using var follower = new LogFixture(LeaderLogs.Small);
        LeaderLogs.Fill(leader.Log, rounds: 2);
        LeaderLogs.Replicate(leader.Log, follower.Log);

        follower.Log.HighWatermark = 5;
        Assert.Equal(5, follower.Log.HighWatermark);
        follower.Manager.CheckpointAll();
        follower.Log.Flush();
        follower.CrashAndRestart(follower.FlushAndCheckpoint());
        Assert.Equal(5, follower.Log.HighWatermark);
        follower.Reopen();
        Assert.Equal(5, follower.Log.HighWatermark);

        follower.Log.HighWatermark = follower.Log.LogEndOffset + 100;
        Assert.Equal(follower.Log.LogEndOffset, follower.Log.HighWatermark);
    }

    /// <summary>A batch as the leader stored it: base offset and partition leader epoch set (both outside the CRC).</summary>
    internal static byte[] WithOffsetAndEpoch(byte[] batch, long baseOffset, int epoch)
    {
        BinaryPrimitives.WriteInt64BigEndian(batch.AsSpan(RecordBatchHeader.BaseOffsetOffset), baseOffset);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.PartitionLeaderEpochOffset), epoch);
        return batch;
    }
}
