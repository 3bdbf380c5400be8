namespace Freshet.Storage.Tests;

/// <summary>
/// Random appends, reads, DeleteRecords, retention passes, clean and unclean restarts, checked against an in-memory
/// list of batches (those of deleted segments dropped) and the log start offset.
/// </summary>
public sealed class RandomizedModelTests
{
    private sealed record ModelBatch(long FirstOffset, long LastOffset, long Timestamp, byte[] Bytes);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Log_matches_an_in_memory_model(int seed)
    {
        var random = new Random(seed);
        var config = new LogConfig
        {
            SegmentBytes = 600 + random.Next(1500),
            IndexIntervalBytes = 50 + random.Next(400),
            SegmentIndexBytes = 8 * (2 + random.Next(20)),
            RetentionBytes = 3000 + random.Next(6000),
            RetentionMs = -1,
            FileDeleteDelayMs = 0,
        };
        using var fixture = new LogFixture(config);
        var model = new List<ModelBatch>();
        long timestamp = 1;
        long logStartOffset = 0;
        long logEndOffset = 0;

        for (var step = 0; step < 400; step++)
        {
            var action = random.Next(100);
            if (action < 55)
            {
                timestamp += random.Next(-5, 20);
                var batch = TestBatches.Build(1 + random.Next(6), timestamp, random.Next(0, 300), (byte)random.Next(256));
                var info = fixture.Log.Append(batch, 7);
                Assert.Equal(logEndOffset, info.FirstOffset);
                model.Add(new ModelBatch(info.FirstOffset, info.LastOffset, timestamp, batch));
                logEndOffset = info.LastOffset + 1;
            }
            else if (action < 88)
            {
                CheckRead(fixture.Log, model, logStartOffset, random);
            }
            else if (action < 90)
            {
                fixture.Log.HighWatermark = fixture.Log.LogEndOffset;
                var target = logStartOffset + random.NextInt64(logEndOffset - logStartOffset + 1);
                logStartOffset = Math.Max(logStartOffset, target);
                Assert.Equal(logStartOffset, fixture.Log.DeleteRecordsBefore(target));
            }
            else if (action < 93)
            {
                fixture.Log.HighWatermark = fixture.Log.LogEndOffset;
                fixture.Manager.RunRetention();
                Assert.Equal(0, fixture.Manager.RunRetention());
                var firstBase = fixture.Log.Segments[0].BaseOffset;
                var kept = fixture.Log.Segments.Sum(segment => (long)segment.Size);
                // Only whole segments go, and by size only while retention.bytes stays kept, unless the log start passed them.
                Assert.True(kept >= config.RetentionBytes || firstBase <= logStartOffset || firstBase == logEndOffset);
                model.RemoveAll(b => b.FirstOffset < firstBase);
                logStartOffset = Math.Max(logStartOffset, firstBase);
                Assert.Equal(model.Count == 0 ? logEndOffset : model[0].FirstOffset, firstBase);
                Assert.Empty(Directory.EnumerateFiles(fixture.PartitionDir, "*" + LogFileNames.DeletedSuffix));
            }
            else if (action < 96)
            {
                fixture.Reopen();
            }
            else
            {
                var checkpoint = fixture.FlushAndCheckpoint();
                fixture.CrashAndRestart(random.Next(2) == 0 ? checkpoint : null);
            }
            Assert.Equal(logEndOffset, fixture.Log.LogEndOffset);
            Assert.Equal(logStartOffset, fixture.Log.LogStartOffset);
        }
        fixture.Reopen();
        Assert.Equal(logStartOffset, fixture.Log.LogStartOffset);
        foreach (var batch in model.Where(b => b.LastOffset >= logStartOffset))
        {
            CheckRead(fixture.Log, model, Math.Max(batch.FirstOffset, logStartOffset), int.MaxValue);
        }
        if (logStartOffset > 0)
        {
            Assert.Throws<OffsetOutOfRangeException>(() => fixture.Log.Read(logStartOffset - 1, 100, long.MaxValue, true));
        }
        if (model.Count > 0)
        {
            var max = model.MaxBy(b => b.Timestamp)!;
            Assert.Equal(max.Timestamp, fixture.Log.LatestTimestamp()!.Value.Timestamp);
            var target = model[random.Next(model.Count)].Timestamp;
            var expected = model.First(b => b.Timestamp >= target);
            Assert.Equal(new TimestampOffset(expected.Timestamp, Math.Max(expected.FirstOffset, logStartOffset)), fixture.Log.FindOffsetByTimestamp(target));
        }
    }

    private static void CheckRead(PartitionLog log, List<ModelBatch> model, long logStartOffset, Random random)
    {
        if (logStartOffset > 0)
        {
            Assert.Throws<OffsetOutOfRangeException>(() => log.Read(random.NextInt64(logStartOffset), 100, long.MaxValue, true));
        }
        if (model.Count == 0 || model[^1].LastOffset < logStartOffset)
        {
            Assert.True(log.Read(logStartOffset, 100, long.MaxValue, true).Records.IsEmpty);
            return;
        }
        CheckRead(log, model, logStartOffset + random.NextInt64(model[^1].LastOffset + 1 - logStartOffset), random.Next(1, 2000));
    }

    private static void CheckRead(PartitionLog log, List<ModelBatch> model, long offset, int maxBytes)
    {
        var bytes = log.Read(offset, maxBytes, long.MaxValue, minOneBatch: true).Records.ToArray();
        var first = model.FindIndex(b => b.LastOffset >= offset);
        var position = 0;
        for (var i = first; i < model.Count && position < bytes.Length; i++)
        {
            var headers = TestBatches.Parse(bytes.AsSpan(position, Math.Min(model[i].Bytes.Length, bytes.Length - position)));
            Assert.Equal(model[i].FirstOffset, Assert.Single(headers).BaseOffset);
            Assert.Equal(model[i].Bytes.AsSpan(61).ToArray(), bytes.AsSpan(position + 61, model[i].Bytes.Length - 61).ToArray());
            position += model[i].Bytes.Length;
        }
        Assert.Equal(bytes.Length, position);
        Assert.True(bytes.Length >= model[first].Bytes.Length);
        Assert.True(bytes.Length <= Math.Max(maxBytes, model[first].Bytes.Length));
    }
}
