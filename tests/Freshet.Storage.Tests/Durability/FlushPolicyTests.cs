using Freshet.Protocol.Primitives;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Storage.Tests.Durability;

public sealed class FlushPolicyTests
{
    [Fact]
    public void Flush_messages_1_makes_each_append_durable_before_it_returns()
    {
        using var fixture = new LogFixture(new LogConfig { FlushIntervalMessages = 1 });
        for (var i = 0; i < 5; i++)
        {
            var info = fixture.Append(3);
            Assert.True(fixture.Log.RecoveryPoint > info.LastOffset);
        }
    }

    [Fact]
    public void Concurrent_appenders_with_flush_messages_1_all_return_flushed()
    {
        using var fixture = new LogFixture(new LogConfig { FlushIntervalMessages = 1, SegmentBytes = 64 * 1024 });
        var log = fixture.Log;
        var failures = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 50; i++)
            {
                var info = log.Append(TestBatches.Build(2, 1000), 0);
                if (log.RecoveryPoint <= info.LastOffset)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        Assert.Equal(0, failures);
        Assert.Equal(800, log.LogEndOffset);
        Assert.Equal(800, log.RecoveryPoint);
    }

    [Fact]
    public void Without_flush_settings_appends_stay_unflushed()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Append(3);
        Assert.Equal(0, fixture.Log.RecoveryPoint);
    }

    [Fact]
    public void Flush_ms_flushes_on_the_flusher_pass_once_the_last_flush_is_old_enough()
    {
        var time = new ManualTime();
        using var fixture = new LogFixture(new LogConfig { FlushMs = 1000 }, time);
        fixture.Append(4);

        fixture.Manager.FlushDirtyLogs();
        Assert.Equal(0, fixture.Log.RecoveryPoint);

        time.Advance(TimeSpan.FromMilliseconds(1000));
        fixture.Manager.FlushDirtyLogs();
        Assert.Equal(4, fixture.Log.RecoveryPoint);
    }

    [Fact]
    public void Flush_ms_validation_rejects_negative_values()
    {
        Assert.Throws<ArgumentException>(() => new LogConfig { FlushMs = -1 }.Validate());
    }

    [Fact]
    public void A_flushed_log_recovers_nothing_after_a_crash()
    {
        using var dir = new TempDir();
        var tp = new TopicPartition("t", 0);
        var config = new LogConfig { FlushIntervalMessages = 1, SegmentBytes = 1024 };
        var manager = new LogManager(new LogManagerOptions { LogDirs = [dir.Path] }, NullLoggerFactory.Instance);
        manager.LoadLogs(_ => config);
        var log = manager.CreateLog(tp, KafkaUuid.NewRandom(), config);
        for (var i = 0; i < 20; i++)
        {
            log.Append(TestBatches.Build(1, 1000, payloadBytes: 200), 0);
        }
        Assert.True(log.SegmentCount > 1);
        Assert.Equal(20, log.RecoveryPoint);
        manager.CheckpointAll();
        manager.Dispose();

        using var reopened = new LogManager(new LogManagerOptions { LogDirs = [dir.Path] }, NullLoggerFactory.Instance);
        reopened.LoadLogs(_ => config);
        Assert.True(reopened.TryGetLog(tp, out var again));
        Assert.Equal(20, again.LogEndOffset);
    }
}
