using System.Buffers.Binary;
using Freshet.Storage.Producers;

namespace Freshet.Storage.Tests.Producers;

public sealed class ProducerSnapshotTests
{
    private static readonly LogConfig Small = new() { SegmentBytes = 500, IndexIntervalBytes = 100 };

    [Fact]
    public void A_snapshot_round_trips_every_retained_batch_in_kafkas_entry_layout()
    {
        var state = new ProducerStateManager();
        for (var i = 0; i < 7; i++)
        {
            Apply(state, ProducerBatches.Data(1, 2, i * 3, records: 3), baseOffset: i * 3);
        }
        Apply(state, ProducerBatches.Data(2, 0, 0, records: 1, transactional: true), baseOffset: 21);
        var bytes = ProducerSnapshot.Write(state);
        Assert.Equal(10 + (6 * 46), bytes.Length);
        Assert.Equal(1, BinaryPrimitives.ReadInt16BigEndian(bytes));
        Assert.Equal(6, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(6)));
        // The first entry: producer 1, epoch 2, its oldest retained batch (sequences 6-8 at offsets 6-8).
        Assert.Equal(1, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(10)));
        Assert.Equal(2, BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(18)));
        Assert.Equal(8, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.Equal(8, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(24)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(32)));

        var read = ProducerSnapshot.Read(bytes);
        Assert.Equal(bytes, ProducerSnapshot.Write(read));
        Assert.Equal(21, read.FirstUnstableOffset);
        Assert.True(read.TryGet(1, out var entry));
        Assert.Equal((5, 20), (entry.BatchCount, entry.LastSequence));

        bytes[^1] ^= 1;
        Assert.Throws<InvalidDataException>(() => ProducerSnapshot.Read(bytes));
    }

    [Fact]
    public void Retries_are_recognised_after_a_clean_restart()
    {
        using var fixture = new LogFixture(Small);
        var batches = Enumerable.Range(0, 5).Select(i => ProducerBatches.Data(7, 0, i)).ToArray();
        foreach (var batch in batches)
        {
            fixture.Log.Append((byte[])batch.Clone());
        }
        fixture.Reopen();
        Assert.True(File.Exists(ProducerSnapshotFiles.PathFor(fixture.PartitionDir, 5)));
        for (var i = 0; i < 5; i++)
        {
            var retry = fixture.Log.Append((byte[])batches[i].Clone());
            Assert.True(retry.IsDuplicate);
            Assert.Equal(i, retry.FirstOffset);
        }
        Assert.Equal(5, fixture.Log.Append(ProducerBatches.Data(7, 0, 5)).FirstOffset);
    }

    [Fact]
    public void Rolls_write_snapshots_and_a_crash_replays_the_tail_after_the_last_one()
    {
        using var fixture = new LogFixture(Small);
        var log = fixture.Log;
        var sequence = 0;
        for (var i = 0; i < 12; i++)
        {
            log.Append(ProducerBatches.Data(3, 0, sequence, records: 2));
            sequence += 2;
        }
        log.Append(ProducerBatches.Data(4, 1, 0, records: 1, transactional: true));
        var abortAt = log.LogEndOffset;
        log.Append(ProducerBatches.Marker(4, 1, commit: false), AppendOrigin.Coordinator);
        log.Append(ProducerBatches.Data(4, 1, 1, records: 1, transactional: true));
        var openAt = log.LogEndOffset - 1;
        Assert.True(log.SegmentCount > 2);
        var snapshots = ProducerSnapshotFiles.List(fixture.PartitionDir);
        Assert.Equal(log.Segments.Skip(1).Select(s => s.BaseOffset), snapshots);
        var aborted = log.CollectAbortedTransactions(0, log.LogEndOffset);
        var producers = log.ActiveProducers();

        var activeBase = log.Segments[^1].BaseOffset;
        Assert.True(abortAt >= activeBase);
        var logEnd = log.LogEndOffset;

        // A crash with nothing checkpointed, before a shutdown snapshot and before the active segment's .txnindex
        // reached the disk: the latest snapshot (the active segment's base) is loaded and the batches after it (the
        // aborted transaction among them) are replayed from their headers.
        fixture.CrashAndRestart(recoveryCheckpoint: null, damage: () =>
        {
            File.Delete(ProducerSnapshotFiles.PathFor(fixture.PartitionDir, logEnd));
            File.Delete(fixture.SegmentFile(activeBase, LogFileNames.TxnIndexSuffix));
        });
        Assert.Equal(activeBase, ProducerSnapshotFiles.List(fixture.PartitionDir)[^1]);
        Assert.Equal(producers.OrderBy(p => p.ProducerId), fixture.Log.ActiveProducers().OrderBy(p => p.ProducerId));
        Assert.Equal(openAt, fixture.Log.FirstUnstableOffset);
        Assert.Equal(aborted, fixture.Log.CollectAbortedTransactions(0, fixture.Log.LogEndOffset));
        Assert.Equal(abortAt, Assert.Single(aborted).LastOffset);
        Assert.True(fixture.Log.Append(ProducerBatches.Data(3, 0, sequence - 2, records: 2)).IsDuplicate);
        Assert.Throws<OutOfOrderSequenceException>(() => fixture.Log.Append(ProducerBatches.Data(3, 0, sequence + 1)));
    }

    [Fact]
    public void Without_any_snapshot_the_whole_log_is_replayed()
    {
        using var fixture = new LogFixture(Small);
        for (var i = 0; i < 10; i++)
        {
            fixture.Log.Append(ProducerBatches.Data(3, 0, i, records: 1));
        }
        fixture.CloseUncleanly(recoveryCheckpoint: null, damage: () =>
        {
            foreach (var offset in ProducerSnapshotFiles.List(fixture.PartitionDir))
            {
                File.Delete(ProducerSnapshotFiles.PathFor(fixture.PartitionDir, offset));
            }
        });
        fixture.Start();
        Assert.Equal(9, Assert.Single(fixture.Log.ActiveProducers()).LastSequence);
        Assert.True(fixture.Log.Append(ProducerBatches.Data(3, 0, 9)).IsDuplicate);
    }

    [Fact]
    public void A_truncated_tail_removes_the_snapshots_above_it_and_the_state_of_the_lost_batches()
    {
        using var fixture = new LogFixture(new LogConfig());
        for (var i = 0; i < 4; i++)
        {
            fixture.Log.Append(ProducerBatches.Data(3, 0, i, records: 1));
        }
        var checkpoint = fixture.FlushAndCheckpoint();
        var length = new FileInfo(fixture.SegmentFile(0, LogFileNames.LogSuffix)).Length;
        fixture.Log.Append(ProducerBatches.Data(3, 0, 4, records: 1));
        fixture.CloseUncleanly(checkpoint, () =>
        {
            // The clean close wrote a snapshot at 5; the torn tail takes offset 4 away again.
            using var file = new FileStream(fixture.SegmentFile(0, LogFileNames.LogSuffix), FileMode.Open);
            file.SetLength(length + 10);
        });
        fixture.Start();
        Assert.Equal(4, fixture.Log.LogEndOffset);
        Assert.DoesNotContain(5L, ProducerSnapshotFiles.List(fixture.PartitionDir));
        Assert.Equal(3, Assert.Single(fixture.Log.ActiveProducers()).LastSequence);
        Assert.Equal(4, fixture.Log.Append(ProducerBatches.Data(3, 0, 4)).FirstOffset);
    }

    [Fact]
    public void Retention_prunes_snapshots_with_their_segments()
    {
        var time = new ManualTime();
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = 500, IndexIntervalBytes = 100, RetentionMs = 1000 }, time);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < 12; i++)
        {
            fixture.Log.Append(ProducerBatches.Data(3, 0, i * 2, records: 2, timestamp: i < 8 ? now - 10_000 : now));
        }
        fixture.Log.HighWatermark = fixture.Log.LogEndOffset;
        Assert.True(fixture.Manager.RunRetention() > 0);
        Assert.All(ProducerSnapshotFiles.List(fixture.PartitionDir), offset => Assert.True(offset >= fixture.Log.Segments[0].BaseOffset));
        Assert.Equal(22, Assert.Single(fixture.Log.ActiveProducers()).LastSequence - 1);
    }

    [Fact]
    public void Restarts_keep_only_the_roll_snapshots_and_the_latest()
    {
        using var fixture = new LogFixture(new LogConfig());
        for (var round = 0; round < 4; round++)
        {
            // Current timestamps, or segment.ms would roll at every append after a restart.
            fixture.Log.Append(ProducerBatches.Data(3, 0, round, timestamp: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            fixture.Reopen();
        }
        Assert.Equal([4L], ProducerSnapshotFiles.List(fixture.PartitionDir));
        Assert.Equal(3, Assert.Single(fixture.Log.ActiveProducers()).LastSequence);
    }

    private static void Apply(ProducerStateManager state, byte[] batch, long baseOffset)
    {
        BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);
        state.Apply(Protocol.Records.RecordBatchHeader.Read(batch), batch);
    }
}
