using System.Buffers.Binary;
using Freshet.Storage.Producers;

namespace Freshet.Storage.Tests.Producers;

public sealed class TransactionStateTests
{
    [Fact]
    public void An_open_transaction_holds_the_first_unstable_offset_until_its_marker()
    {
        using var fixture = new LogFixture(new LogConfig());
        var log = fixture.Log;
        log.Append(ProducerBatches.Data(9, 0, 0, records: 2));
        Assert.Equal(long.MaxValue, log.FirstUnstableOffset);
        log.Append(ProducerBatches.Data(1, 0, 0, records: 2, transactional: true));   // 2-3
        log.Append(ProducerBatches.Data(2, 0, 0, records: 2, transactional: true));   // 4-5
        log.Append(ProducerBatches.Data(1, 0, 2, records: 2, transactional: true));   // 6-7
        Assert.Equal(2, log.FirstUnstableOffset);
        log.Append(ProducerBatches.Marker(1, 0, commit: true), AppendOrigin.Coordinator);   // 8
        Assert.Equal(4, log.FirstUnstableOffset);
        log.Append(ProducerBatches.Marker(2, 0, commit: false), AppendOrigin.Coordinator);  // 9
        Assert.Equal(long.MaxValue, log.FirstUnstableOffset);
        Assert.Equal(-1, log.ActiveProducers().Single(p => p.ProducerId == 1).CurrentTxnFirstOffset);
    }

    [Fact]
    public void Aborts_are_indexed_in_the_markers_segment_in_kafkas_34_byte_entries()
    {
        using var fixture = new LogFixture(new LogConfig());
        var log = fixture.Log;
        log.Append(ProducerBatches.Data(1, 0, 0, records: 2, transactional: true));   // 0-1
        log.Append(ProducerBatches.Data(2, 0, 0, records: 1, transactional: true));   // 2
        log.Append(ProducerBatches.Marker(1, 0, commit: false, coordinatorEpoch: 4), AppendOrigin.Coordinator);   // 3
        log.Append(ProducerBatches.Marker(2, 0, commit: true), AppendOrigin.Coordinator);   // 4
        var bytes = File.ReadAllBytes(fixture.SegmentFile(0, LogFileNames.TxnIndexSuffix));
        Assert.Equal(34, bytes.Length);
        Assert.Equal(0, BinaryPrimitives.ReadInt16BigEndian(bytes));
        Assert.Equal(1, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(2)));
        Assert.Equal(0, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(10)));
        Assert.Equal(3, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(18)));
        // Producer 2's transaction was still open when 1 aborted: the last stable offset stayed at its start.
        Assert.Equal(2, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(26)));
        Assert.Equal(4, log.ActiveProducers().Single(p => p.ProducerId == 1).CoordinatorEpoch);
    }

    [Fact]
    public void Aborted_transactions_of_a_range_are_found_across_segments()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = 400 });
        var log = fixture.Log;
        var sequence = 0;
        for (var round = 0; round < 6; round++)
        {
            log.Append(ProducerBatches.Data(5, 0, sequence, records: 2, transactional: true));
            sequence += 2;
            log.Append(ProducerBatches.Marker(5, 0, commit: round % 2 == 1), AppendOrigin.Coordinator);
        }
        Assert.True(log.SegmentCount > 2);
        // Rounds 0, 2, 4 aborted: offsets 0-1 (marker 2), 6-7 (marker 8), 12-13 (marker 14).
        Assert.Equal([0L, 6L, 12L], log.CollectAbortedTransactions(0, log.LogEndOffset).Select(t => t.FirstOffset));
        Assert.Equal([6L], log.CollectAbortedTransactions(3, 9).Select(t => t.FirstOffset));
        Assert.Empty(log.CollectAbortedTransactions(15, log.LogEndOffset));
        Assert.Equal([12L], log.CollectAbortedTransactions(14, log.LogEndOffset).Select(t => t.FirstOffset));
    }

    [Fact]
    public void A_marker_from_an_older_coordinator_or_producer_epoch_is_refused()
    {
        using var fixture = new LogFixture(new LogConfig());
        var log = fixture.Log;
        log.Append(ProducerBatches.Data(1, 3, 0, transactional: true));
        log.Append(ProducerBatches.Marker(1, 3, commit: true, coordinatorEpoch: 7), AppendOrigin.Coordinator);
        Assert.Throws<TransactionCoordinatorFencedException>(() => log.Append(ProducerBatches.Marker(1, 3, commit: false, coordinatorEpoch: 6), AppendOrigin.Coordinator));
        Assert.Throws<InvalidProducerEpochException>(() => log.Append(ProducerBatches.Marker(1, 2, commit: false, coordinatorEpoch: 7), AppendOrigin.Coordinator));
        Assert.Equal(2, log.LogEndOffset);
    }

    [Fact]
    public void Cleaning_keeps_transactional_batches_and_markers_and_lets_them_shadow_nothing()
    {
        var config = new LogConfig { SegmentBytes = 300, CleanupPolicy = "compact", MinCleanableDirtyRatio = 0.01 };
        using var fixture = new LogFixture(config);
        var log = fixture.Log;
        log.Append(ProducerBatches.Data(-1, -1, -1, records: 1));                                   // key 0 at 0: plain
        log.Append(ProducerBatches.Data(1, 0, 0, records: 1, transactional: true));                 // key 0 at 1: aborted
        log.Append(ProducerBatches.Marker(1, 0, commit: false), AppendOrigin.Coordinator);          // 2
        for (var i = 0; i < 8; i++)
        {
            log.Append(ProducerBatches.Data(-1, -1, -1, records: 2));                               // keys 0 and 1, plain
        }
        var before = log.CollectAbortedTransactions(0, log.LogEndOffset);
        new Cleaner.LogCleaner(fixture.Manager, new Cleaner.LogCleanerOptions(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, fixture.Time).CleanOnce();
        var headers = TestBatches.Parse(log.Read(0, 1 << 20, long.MaxValue, true).Records.ToArray());
        Assert.Contains(headers, h => h.IsTransactional && !h.IsControl && h.BaseOffset == 1);
        Assert.Contains(headers, h => h.IsControl && h.BaseOffset == 2);
        Assert.Equal(before, log.CollectAbortedTransactions(0, log.LogEndOffset));
    }
}
