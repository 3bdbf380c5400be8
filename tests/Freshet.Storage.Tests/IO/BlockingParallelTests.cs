using Freshet.Storage.IO;

namespace Freshet.Storage.Tests.IO;

public sealed class BlockingParallelTests
{
    [Fact]
    public void Every_index_runs_exactly_once()
    {
        var runs = new int[1000];

        var failure = BlockingParallel.For(runs.Length, 8, i => Interlocked.Increment(ref runs[i]));

        Assert.Null(failure);
        Assert.All(runs, r => Assert.Equal(1, r));
    }

    [Fact]
    public void Bodies_that_block_run_side_by_side_up_to_the_degree()
    {
        // Each body waits until all 16 are inside at once; on the thread pool of a small machine they would not be.
        using var together = new Barrier(16);

        var failure = BlockingParallel.For(16, 16, _ => Assert.True(together.SignalAndWait(TimeSpan.FromSeconds(30))));

        Assert.Null(failure);
    }

    [Fact]
    public void The_first_failure_is_returned_and_stops_new_work()
    {
        var started = 0;

        var failure = BlockingParallel.For(10_000, 4, i =>
        {
            Interlocked.Increment(ref started);
            if (i == 10)
            {
                throw new IOException("disk gone");
            }
            // Bodies that take a while: without this, the other threads could run all 10,000 while the failing one is
            // descheduled between its throw and the stop, and the test would fail with the code being right.
            Thread.Sleep(1);
        });

        Assert.NotNull(failure);
        Assert.Equal("disk gone", Assert.IsType<IOException>(failure.SourceException).Message);
        Assert.True(started < 10_000, $"{started} bodies started after the failure");
    }

    [Fact]
    public void Nothing_to_do_returns_at_once()
    {
        Assert.Null(BlockingParallel.For(0, 8, _ => throw new InvalidOperationException("not called")));
    }
}
