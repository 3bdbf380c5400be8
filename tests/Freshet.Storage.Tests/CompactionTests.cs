using System.Text;
using Freshet.Protocol.Records;
using Freshet.Storage.Cleaner;
using Microsoft.Extensions.Logging.Abstractions;
using Record = Freshet.Protocol.Records.Record;

namespace Freshet.Storage.Tests;

public sealed class CompactionTests
{
    private static LogConfig Compacted(long minLagMs = 0, long deleteRetentionMs = 0) => new()
    {
        SegmentBytes = 1024,
        CleanupPolicy = "compact",
        MinCleanableDirtyRatio = 0.01,
        MinCompactionLagMs = minLagMs,
        DeleteRetentionMs = deleteRetentionMs,
        IndexIntervalBytes = 128,
    };

    private static LogCleaner NewCleaner(LogFixture fixture) =>
        new(fixture.Manager, new LogCleanerOptions(), NullLoggerFactory.Instance, fixture.Time);

    // One record per batch, so the log end offset is the next sequence of the producer.
    private static void Put(LogFixture fixture, string key, string? value, long timestamp = 1000, CompressionType compression = CompressionType.None) =>
        fixture.Log.Append(
            RecordBatchBuilder.Build(
                [new Record(0, timestamp, Encoding.UTF8.GetBytes(key), value is null ? default(ReadOnlyMemory<byte>?) : Encoding.UTF8.GetBytes(value))],
                new RecordBatchOptions { Compression = compression, ProducerId = 7, ProducerEpoch = 1, BaseSequence = (int)fixture.Log.LogEndOffset }),
            leaderEpoch: 3);

    /// <summary>Every record in the log: (offset, key, value), value null for tombstones.</summary>
    private static List<(long Offset, string Key, string? Value)> ReadAll(PartitionLog log)
    {
        var result = new List<(long, string, string?)>();
        var offset = log.LogStartOffset;
        while (offset < log.LogEndOffset)
        {
            var read = log.Read(offset, 1 << 20, long.MaxValue, minOneBatch: true);
            var bytes = read.Records.ToArray();
            if (bytes.Length == 0)
            {
                break;
            }
            var enumerator = new RecordBatchEnumerator(bytes, verify: true);
            while (enumerator.MoveNext())
            {
                foreach (var record in RecordBatchReader.ReadRecords(enumerator.Current.Bytes.ToArray()))
                {
                    if (record.Offset >= offset)
                    {
                        result.Add((record.Offset, Encoding.UTF8.GetString(record.Key!.Value.Span), record.Value is { } v ? Encoding.UTF8.GetString(v.Span) : null));
                    }
                }
                offset = enumerator.Current.Header.NextOffset;
            }
            Assert.Equal(RecordBatchError.None, enumerator.Error);
        }
        return result;
    }

    /// <summary>200 updates over 10 keys: offset n holds k(n % 10) = v(n).</summary>
    private static Dictionary<string, long> WriteUpdates(LogFixture fixture, CompressionType compression = CompressionType.None)
    {
        var latest = new Dictionary<string, long>();
        for (var n = 0; n < 200; n++)
        {
            Put(fixture, $"k{n % 10}", $"v{n}", compression: compression);
            latest[$"k{n % 10}"] = n;
        }
        return latest;
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Gzip)]
    public void Cleaner_keeps_the_latest_value_per_key_at_its_original_offset(CompressionType compression)
    {
        using var fixture = new LogFixture(Compacted());
        var latest = WriteUpdates(fixture, compression);
        var activeBase = fixture.Log.Segments[^1].BaseOffset;
        Assert.True(fixture.Log.SegmentCount > 3);

        var cleaner = NewCleaner(fixture);
        Assert.True(cleaner.CleanOnce());

        var records = ReadAll(fixture.Log);
        var cleanedPart = records.Where(r => r.Offset < activeBase).ToList();
        Assert.All(cleanedPart, r => Assert.True(latest[r.Key] <= r.Offset || latest[r.Key] >= activeBase));
        Assert.All(cleanedPart, r => Assert.Equal($"v{r.Offset}", r.Value));
        Assert.Equal(cleanedPart.Count, cleanedPart.Select(r => r.Key).Distinct().Count());
        Assert.Equal(records.Where(r => r.Offset >= activeBase).Select(r => r.Offset), Enumerable.Range((int)activeBase, 200 - (int)activeBase).Select(i => (long)i));
        Assert.Equal(200, fixture.Log.LogEndOffset);

        fixture.Log.Segments.Take(fixture.Log.SegmentCount - 1).ToList().ForEach(s => Assert.Empty(Directory.GetFiles(fixture.PartitionDir, "*.cleaned")));
        fixture.Reopen();
        Assert.Equal(records, ReadAll(fixture.Log));
    }

    [Fact]
    public void Cleaned_batches_keep_offsets_producer_fields_and_codec()
    {
        using var fixture = new LogFixture(Compacted());
        WriteUpdates(fixture, CompressionType.Lz4);
        NewCleaner(fixture).CleanOnce();
        var bytes = fixture.Log.Read(0, 1 << 20, long.MaxValue, true).Records.ToArray();
        foreach (var header in TestBatches.Parse(bytes))
        {
            Assert.Equal(CompressionType.Lz4, header.Compression);
            Assert.Equal(7, header.ProducerId);
            Assert.Equal(1, header.ProducerEpoch);
            Assert.Equal(0, header.LastOffsetDelta);
            Assert.Equal(3, header.PartitionLeaderEpoch);
        }
    }

    [Fact]
    public void Active_segment_is_never_cleaned()
    {
        using var fixture = new LogFixture(Compacted());
        for (var n = 0; n < 5; n++)
        {
            Put(fixture, "same", $"v{n}");
        }
        Assert.Equal(1, fixture.Log.SegmentCount);
        Assert.False(NewCleaner(fixture).CleanOnce());
        Assert.Equal(5, ReadAll(fixture.Log).Count);
    }

    [Fact]
    public void Tombstones_stay_for_delete_retention_then_go()
    {
        var time = new ManualTime();
        using var fixture = new LogFixture(Compacted(deleteRetentionMs: 60_000), time);
        WriteUpdates(fixture);
        Put(fixture, "k3", null);
        Put(fixture, "k4", null);
        while (fixture.Log.SegmentCount < 2 || fixture.Log.Segments[^1].BaseOffset <= 201)
        {
            Put(fixture, "filler", "x");
        }
        var cleaner = NewCleaner(fixture);
        Assert.True(cleaner.CleanOnce());
        var afterFirst = ReadAll(fixture.Log);
        Assert.True(afterFirst.Any(r => r is { Key: "k3", Value: null, Offset: 200 }), string.Join(";", afterFirst.Where(r => r.Key != "filler")));
        Assert.DoesNotContain(afterFirst, r => r.Key == "k3" && r.Value is not null);

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(cleaner.CleanOnce());
        Assert.Contains(ReadAll(fixture.Log), r => r.Key == "k3");

        time.Advance(TimeSpan.FromSeconds(31));
        Assert.True(cleaner.CleanOnce());
        var afterSecond = ReadAll(fixture.Log);
        Assert.DoesNotContain(afterSecond, r => r.Key is "k3" or "k4");
        Assert.Contains(afterSecond, r => r.Key == "k5");
    }

    [Fact]
    public void Min_compaction_lag_leaves_young_records_dirty()
    {
        var time = new ManualTime();
        using var fixture = new LogFixture(Compacted(minLagMs: 60_000), time);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var n = 0; n < 200; n++)
        {
            Put(fixture, $"k{n % 10}", $"v{n}", timestamp: now);
        }
        var cleaner = NewCleaner(fixture);
        Assert.False(cleaner.CleanOnce());
        Assert.Equal(200, ReadAll(fixture.Log).Count);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(cleaner.CleanOnce());
        Assert.True(ReadAll(fixture.Log).Count < 200);
    }

    [Fact]
    public void Cleaner_checkpoint_advances_and_survives_a_restart()
    {
        using var fixture = new LogFixture(Compacted());
        WriteUpdates(fixture);
        var cleaner = NewCleaner(fixture);
        Assert.Null(cleaner.CleanedOffset(LogFixture.Tp));
        Assert.True(cleaner.CleanOnce());
        var first = cleaner.CleanedOffset(LogFixture.Tp);
        Assert.Equal(fixture.Log.Segments[^1].BaseOffset, first);
        Assert.False(cleaner.CleanOnce());

        var text = File.ReadAllLines(Path.Combine(fixture.LogDir, LogFileNames.CleanerOffsetCheckpoint));
        Assert.Equal(["0", "1", $"orders 0 {first}"], text);

        for (var n = 0; n < 100; n++)
        {
            Put(fixture, $"k{n % 10}", $"w{n}");
        }
        fixture.Reopen();
        var reopened = NewCleaner(fixture);
        Assert.Equal(first, reopened.CleanedOffset(LogFixture.Tp));
        Assert.True(reopened.CleanOnce());
        Assert.True(reopened.CleanedOffset(LogFixture.Tp) > first);
    }

    /// <summary>A crash at each step of the swap leaves either the original segment or the cleaned one, with usable indexes.</summary>
    [Theory]
    [InlineData("cleaned")]
    [InlineData("swap")]
    [InlineData("swap-indexes-removed")]
    [InlineData("done-indexes-missing")]
    public void Crash_during_the_swap_recovers(string step)
    {
        using var fixture = new LogFixture(Compacted());
        WriteUpdates(fixture);
        var before = ReadAll(fixture.Log);
        var segment = fixture.Log.Segments[0];
        var map = new OffsetMap(1000);
        foreach (var s in fixture.Log.Segments.Take(fixture.Log.SegmentCount - 1))
        {
            DirtyKeys.Add(s, map);
        }
        Assert.True(SegmentCleaner.Clean(segment, map, 0, 0).Changed);
        var checkpoint = fixture.FlushAndCheckpoint();
        var cleaned = SegmentCleaner.CleanedPath(segment);
        var log = segment.LogPath;
        fixture.CrashAndRestart(checkpoint, () =>
        {
            if (step == "cleaned")
            {
                return;
            }
            File.Move(cleaned, log + LogFileNames.SwapSuffix);
            if (step == "swap")
            {
                return;
            }
            File.Delete(fixture.SegmentFile(0, LogFileNames.IndexSuffix));
            File.Delete(fixture.SegmentFile(0, LogFileNames.TimeIndexSuffix));
            if (step == "done-indexes-missing")
            {
                File.Move(log + LogFileNames.SwapSuffix, log, overwrite: true);
            }
        });

        Assert.Empty(Directory.GetFiles(fixture.PartitionDir, "*.cleaned"));
        Assert.Empty(Directory.GetFiles(fixture.PartitionDir, "*.swap"));
        var after = ReadAll(fixture.Log);
        var firstNext = fixture.Log.Segments[1].BaseOffset;
        if (step == "cleaned")
        {
            Assert.Equal(before, after);
        }
        else
        {
            Assert.True(after.Count < before.Count);
            Assert.Equal(before.Where(r => r.Offset >= firstNext), after.Where(r => r.Offset >= firstNext));
            Assert.All(after, r => Assert.Contains(r, before));
        }
        Assert.Equal(200, fixture.Log.LogEndOffset);
        // Reads through the (rebuilt) index land on the right batch.
        foreach (var record in after)
        {
            var read = fixture.Log.Read(record.Offset, 1 << 20, long.MaxValue, true);
            Assert.True(TestBatches.Parse(read).First().LastOffset >= record.Offset);
        }
    }

    [Fact]
    public async Task Appends_and_reads_go_on_while_the_cleaner_runs()
    {
        using var fixture = new LogFixture(Compacted());
        var latest = new Dictionary<string, string?>();
        using var stop = new CancellationTokenSource();
        var cleaner = NewCleaner(fixture);
        var cleans = 0;
        var background = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (cleaner.CleanOnce())
                {
                    Interlocked.Increment(ref cleans);
                }
                else
                {
                    Thread.Sleep(1);
                }
            }
        });
        // Appends go on until the cleaner has run during them at least twice: on a loaded machine the
        // cleaner thread may not be scheduled within any fixed number of appends.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var appended = 0;
        while (appended < 3000 || (Volatile.Read(ref cleans) < 2 && DateTime.UtcNow < deadline))
        {
            Put(fixture, $"k{appended % 50}", $"v{appended}");
            latest[$"k{appended % 50}"] = $"v{appended}";
            if (appended % 500 == 0)
            {
                Assert.NotEmpty(ReadAll(fixture.Log));
            }
            appended++;
        }
        await stop.CancelAsync();
        await background;
        Assert.True(cleans >= 2, $"the cleaner ran {cleans} times during {appended} appends");
        var last = ReadAll(fixture.Log).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        Assert.Equal(latest, last);
        Assert.Equal(appended, fixture.Log.LogEndOffset);
    }
}
