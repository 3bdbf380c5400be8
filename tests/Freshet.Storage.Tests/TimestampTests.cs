namespace Freshet.Storage.Tests;

public sealed class TimestampTests
{
    [Fact]
    public void FindOffsetByTimestamp_returns_the_first_batch_reaching_the_target_across_segments()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = 1000, IndexIntervalBytes = 200 });
        var infos = new List<LogAppendInfo>();
        for (var i = 0; i < 100; i++)
        {
            infos.Add(fixture.Append(2, timestamp: 1000 + (i * 10)));
        }

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(new TimestampOffset(1000 + (i * 10), infos[i].FirstOffset), fixture.Log.FindOffsetByTimestamp(1000 + (i * 10)));
            Assert.Equal(new TimestampOffset(1000 + (i * 10), infos[i].FirstOffset), fixture.Log.FindOffsetByTimestamp(1000 + (i * 10) - 9));
        }
        Assert.Equal(new TimestampOffset(1000, 0), fixture.Log.FindOffsetByTimestamp(0));
        Assert.Null(fixture.Log.FindOffsetByTimestamp(1000 + 991));
    }

    [Fact]
    public void FindOffsetByTimestamp_handles_timestamps_that_go_backwards()
    {
        using var fixture = new LogFixture(new LogConfig { IndexIntervalBytes = 1 });
        fixture.Append(1, timestamp: 100);
        fixture.Append(1, timestamp: 300);
        fixture.Append(1, timestamp: 200);
        fixture.Append(1, timestamp: 400);

        Assert.Equal(new TimestampOffset(300, 1), fixture.Log.FindOffsetByTimestamp(150));
        Assert.Equal(new TimestampOffset(300, 1), fixture.Log.FindOffsetByTimestamp(250));
        Assert.Equal(new TimestampOffset(400, 3), fixture.Log.FindOffsetByTimestamp(350));
    }

    [Fact]
    public void LatestTimestamp_is_the_max_and_the_batch_carrying_it()
    {
        using var fixture = new LogFixture(new LogConfig { SegmentBytes = 400 });
        Assert.Null(fixture.Log.LatestTimestamp());
        fixture.Append(1, timestamp: 100);
        fixture.Append(3, timestamp: 900);
        fixture.Append(1, timestamp: 500);
        fixture.Append(1, timestamp: 700);

        Assert.True(fixture.Log.SegmentCount > 1);
        Assert.Equal(new TimestampOffset(900, 1), fixture.Log.LatestTimestamp());
        fixture.Reopen();
        Assert.Equal(new TimestampOffset(900, 1), fixture.Log.LatestTimestamp());
        Assert.Equal(new TimestampOffset(900, 1), fixture.Log.FindOffsetByTimestamp(800));
    }
}
