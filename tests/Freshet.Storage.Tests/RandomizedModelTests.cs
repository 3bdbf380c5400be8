namespace Freshet.Storage.Tests;

/// <summary>Random appends, reads, clean and unclean restarts, checked against an in-memory list of batches.</summary>
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
        var config = new LogConfig { SegmentBytes = 600 + random.Next(1500), IndexIntervalBytes = 50 + random.Next(400), SegmentIndexBytes = 8 * (2 + random.Next(20)) };
        using var fixture = new LogFixture(config);
        var model = new List<ModelBatch>();
        long timestamp = 1;

        for (var step = 0; step < 400; step++)
        {
            var action = random.Next(100);
            if (action < 55)
            {
                timestamp += random.Next(-5, 20);
                var batch = TestBatches.Build(1 + random.Next(6), timestamp, random.Next(0, 300), (byte)random.Next(256));
                var info = fixture.Log.Append(batch, 7);
                Assert.Equal(model.Count == 0 ? 0 : model[^1].LastOffset + 1, info.FirstOffset);
                model.Add(new ModelBatch(info.FirstOffset, info.LastOffset, timestamp, batch));
            }
            else if (action < 93)
            {
                CheckRead(fixture.Log, model, random);
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
            Assert.Equal(model.Count == 0 ? 0 : model[^1].LastOffset + 1, fixture.Log.LogEndOffset);
        }
        fixture.Reopen();
        foreach (var batch in model)
        {
            CheckRead(fixture.Log, model, batch.FirstOffset, int.MaxValue);
        }
        if (model.Count > 0)
        {
            var max = model.MaxBy(b => b.Timestamp)!;
            Assert.Equal(max.Timestamp, fixture.Log.LatestTimestamp()!.Value.Timestamp);
            var target = model[random.Next(model.Count)].Timestamp;
            var expected = model.First(b => b.Timestamp >= target);
            Assert.Equal(new TimestampOffset(expected.Timestamp, expected.FirstOffset), fixture.Log.FindOffsetByTimestamp(target));
        }
    }

    private static void CheckRead(PartitionLog log, List<ModelBatch> model, Random random)
    {
        if (model.Count == 0)
        {
            Assert.True(log.Read(0, 100, long.MaxValue, true).Records.IsEmpty);
            return;
        }
        CheckRead(log, model, random.NextInt64(model[^1].LastOffset + 1), random.Next(1, 2000));
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
