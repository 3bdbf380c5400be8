using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;
using Freshet.Storage.IO;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Storage.Tests;

/// <summary>
/// Appends write their bytes outside the append lock and publish them in reservation order: a stalled write holds
/// up no other append's reservation or write, only its publication; nothing behind a failed write is published;
/// readers never see a hole.
/// </summary>
public sealed class InFlightAppendTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private sealed class FaultyLog : IDisposable
    {
        private readonly TempDir _dir = new();

        public FaultyLog(LogConfig config)
        {
            Manager = new LogManager(new LogManagerOptions { LogDirs = [_dir.Sub("d")], DiskFaults = Faults }, NullLoggerFactory.Instance);
            Manager.LoadLogs(_ => config);
            Log = Manager.CreateLog(new TopicPartition("t", 0), KafkaUuid.NewRandom(), config);
        }

        public DiskFaults Faults { get; } = new();

        public LogManager Manager { get; }

        public PartitionLog Log { get; }

        public long ActiveFileLength => new FileInfo(Log.Segments[^1].LogPath).Length;

        public void Dispose()
        {
            Manager.Dispose();
            _dir.Dispose();
        }
    }

    [Fact]
    public async Task A_stalled_write_holds_up_only_the_publication_of_the_append_behind_it()
    {
        using var fixture = new FaultyLog(new LogConfig());
        var log = fixture.Log;
        var firstBatch = TestBatches.Build(3, 1000, fill: 0x11);
        var secondBatch = TestBatches.Build(2, 1000, fill: 0x22);
        var held = fixture.Faults.HoldNextWrite(log.LogDir);

        var first = Task.Run(() => log.Append(firstBatch, 0));
        await held.Reached.WaitAsync(Patience);
        var second = Task.Run(() => log.Append(secondBatch, 0));

        // The second append reserves and writes its bytes behind the stalled first one: the file grows past both
        // while the first write has not happened, so no lock was held across it.
        await WaitUntil(() => fixture.ActiveFileLength == firstBatch.Length + secondBatch.Length);
        Assert.False(second.IsCompleted);
        Assert.Equal(0, log.LogEndOffset);
        Assert.Equal(0, log.Segments[^1].Size);
        Assert.True(log.Read(0, 1 << 20, long.MaxValue, true).Records.IsEmpty);

        held.Release();
        var (a, b) = (await first.WaitAsync(Patience), await second.WaitAsync(Patience));

        Assert.Equal((0, 2), (a.FirstOffset, a.LastOffset));
        Assert.Equal((3, 4), (b.FirstOffset, b.LastOffset));
        Assert.Equal(5, log.LogEndOffset);
        var bytes = log.Read(0, 1 << 20, long.MaxValue, true).Records.ToArray();
        Assert.Equal([0L, 3L], TestBatches.Parse(bytes).Select(h => h.BaseOffset));
        Assert.Equal(0x11, bytes[RecordBatchHeader.Size]);
        Assert.Equal(0x22, bytes[firstBatch.Length + RecordBatchHeader.Size]);
    }

    [Fact]
    public async Task A_failed_write_publishes_nothing_behind_it_and_takes_the_dir_offline()
    {
        using var fixture = new FaultyLog(new LogConfig());
        var log = fixture.Log;
        log.Append(TestBatches.Build(4, 1000), 0);
        var held = fixture.Faults.HoldNextWrite(log.LogDir);

        var first = Task.Run(() => log.Append(TestBatches.Build(3, 1000), 0));
        await held.Reached.WaitAsync(Patience);
        var second = Task.Run(() => log.Append(TestBatches.Build(2, 1000), 0));
        await WaitUntil(() => fixture.ActiveFileLength > 2 * TestBatches.Build(1, 0).Length);
        held.Release(fail: true);

        await Assert.ThrowsAsync<KafkaStorageException>(() => first.WaitAsync(Patience));
        await Assert.ThrowsAsync<KafkaStorageException>(() => second.WaitAsync(Patience));
        Assert.True(log.IsOffline);
        Assert.Equal(4, log.LogEndOffset);
        Assert.Throws<KafkaStorageException>(() => log.Append(TestBatches.Build(1, 1000), 0));
    }

    [Fact]
    public async Task Readers_follow_overlapping_appenders_without_ever_seeing_a_hole()
    {
        const int writers = 4;
        const int appendsEach = 300;
        // Small segments: rolls, which wait for the writes in flight, happen all through the run.
        using var fixture = new FaultyLog(new LogConfig { SegmentBytes = 16 * 1024, IndexIntervalBytes = 512 });
        var log = fixture.Log;
        var appenders = Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < appendsEach; i++)
            {
                log.Append(TestBatches.Build(1 + (i % 3), 1000 + i, payloadBytes: 50 + (i % 7) * 30, fill: (byte)(w + 1)), 0);
            }
        })).ToArray();

        var cursor = 0L;
        var perWriter = new int[writers + 1];
        while (!appenders.All(a => a.IsCompleted) || cursor < log.LogEndOffset)
        {
            var bytes = log.Read(cursor, 64 * 1024, long.MaxValue, true).Records.ToArray();
            var position = 0;
            foreach (var header in TestBatches.Parse(bytes))
            {
                Assert.Equal(cursor, header.BaseOffset);
                perWriter[bytes[position + RecordBatchHeader.Size]]++;
                cursor = header.LastOffset + 1;
                position += header.TotalSize;
            }
        }
        await Task.WhenAll(appenders);

        Assert.Equal(log.LogEndOffset, cursor);
        Assert.Equal([0, appendsEach, appendsEach, appendsEach, appendsEach], perWriter);
        Assert.True(log.SegmentCount > 5, $"only {log.SegmentCount} segments");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(5);
        }
    }
}
