using Freshet.Protocol.Records;
using Freshet.Storage.Tests.Producers;

namespace Freshet.Storage.Tests.Replication;

/// <summary>A leader's log with what replication must carry over, and a follower's copy of it made by fetching.</summary>
internal static class LeaderLogs
{
    public static readonly LogConfig Small = new() { SegmentBytes = 1000, IndexIntervalBytes = 150, FileDeleteDelayMs = 0, RetentionMs = -1 };

    /// <summary>
    /// Plain batches, an idempotent producer (7), a committed transaction (8) and an aborted one (9) across epochs
    /// 1 and 3, over several segments; producer 8's transaction is left open at the end.
    /// </summary>
    public static void Fill(PartitionLog log, int rounds = 6)
    {
        var sequence7 = 0;
        var sequence8 = 0;
        var sequence9 = 0;
        for (var round = 0; round < rounds; round++)
        {
            var epoch = round < rounds / 2 ? 1 : 3;
            log.Append(TestBatches.Build(3, 1000 + round, 90), epoch);
            log.Append(ProducerBatches.Data(7, 0, sequence7, records: 2), epoch, AppendOrigin.Client);
            sequence7 += 2;
            log.Append(ProducerBatches.Data(8, 0, sequence8, transactional: true), epoch, AppendOrigin.Client);
            sequence8++;
            log.Append(ProducerBatches.Data(9, 0, sequence9, transactional: true), epoch, AppendOrigin.Client);
            sequence9++;
            log.Append(ProducerBatches.Marker(9, 0, commit: false), epoch, AppendOrigin.Coordinator);
            if (round < rounds - 1)
            {
                log.Append(ProducerBatches.Marker(8, 0, commit: true), epoch, AppendOrigin.Coordinator);
            }
        }
    }

    /// <summary>The log's batches from <paramref name="from"/> as a replica fetch reads them, at most <paramref name="maxBytes"/> a time.</summary>
    public static IEnumerable<byte[]> Fetches(PartitionLog log, long from, int maxBytes)
    {
        var next = from;
        while (next < log.LogEndOffset)
        {
            var bytes = log.Read(next, maxBytes, long.MaxValue, minOneBatch: true).Records.ToArray();
            yield return bytes;
            next = TestBatches.Parse(bytes)[^1].NextOffset;
        }
    }

    /// <summary>Copies the leader's log from the follower's log end on, as a replica fetcher does.</summary>
    public static void Replicate(PartitionLog leader, PartitionLog follower, int maxBytes = 700)
    {
        foreach (var fetch in Fetches(leader, follower.LogEndOffset, maxBytes))
        {
            follower.AppendAsFollower(fetch);
        }
    }

    /// <summary>Every byte of every segment, in offset order.</summary>
    public static byte[] AllBytes(PartitionLog log) => [.. Fetches(log, log.LogStartOffset, 1 << 20).SelectMany(bytes => bytes)];

    public static List<RecordBatchHeader> Headers(PartitionLog log) => TestBatches.Parse(AllBytes(log));

    /// <summary>
    /// Two logs hold the same: offsets, bytes, epochs, producers, open and aborted transactions, and indexes that
    /// find every offset's batch.
    /// </summary>
    public static void AssertSameLog(PartitionLog expected, PartitionLog actual)
    {
        Assert.Equal(expected.LogEndOffset, actual.LogEndOffset);
        Assert.Equal(AllBytes(expected), AllBytes(actual));
        Assert.Equal(expected.LeaderEpochs.Entries, actual.LeaderEpochs.Entries);
        Assert.Equal(expected.FirstUnstableOffset, actual.FirstUnstableOffset);
        Assert.Equal(expected.CollectAbortedTransactions(0, long.MaxValue), actual.CollectAbortedTransactions(0, long.MaxValue));
        Assert.Equal(expected.ActiveProducers().OrderBy(p => p.ProducerId), actual.ActiveProducers().OrderBy(p => p.ProducerId));
        foreach (var header in Headers(actual))
        {
            for (var offset = header.BaseOffset; offset <= header.LastOffset; offset++)
            {
                var found = Assert.Single(TestBatches.Parse(actual.Read(offset, 1, long.MaxValue, minOneBatch: true)));
                Assert.Equal(header.BaseOffset, found.BaseOffset);
            }
        }
    }
}
