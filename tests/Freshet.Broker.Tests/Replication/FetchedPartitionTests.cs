using Freshet.Broker.Replication.Fetcher;

namespace Freshet.Broker.Tests.Replication;

public sealed class FetchedPartitionTests
{
    [Fact]
    public void A_leader_that_has_not_caught_up_is_retried_soon_then_less_often_up_to_the_fetch_backoff()
    {
        using var fixture = new PartitionFixture();
        var fetched = new FetchedPartition(fixture.Partition, leaderEpoch: 1);

        var pauses = new List<long>();
        for (var i = 0; i < 9; i++)
        {
            fetched.PauseForLeaderToCatchUp(nowMs: 1000, maxBackoffMs: 1000);
            pauses.Add(fetched.PausedUntilMs - 1000);
        }

        Assert.Equal([10, 20, 40, 80, 160, 320, 640, 1000, 1000], pauses);
    }

    [Fact]
    public void An_answered_fetch_starts_the_retries_over()
    {
        using var fixture = new PartitionFixture();
        var fetched = new FetchedPartition(fixture.Partition, leaderEpoch: 1);
        fetched.PauseForLeaderToCatchUp(0, 1000);
        fetched.PauseForLeaderToCatchUp(0, 1000);

        fetched.Fetched();
        fetched.PauseForLeaderToCatchUp(0, 1000);

        Assert.Equal(10, fetched.PausedUntilMs);
    }
}
