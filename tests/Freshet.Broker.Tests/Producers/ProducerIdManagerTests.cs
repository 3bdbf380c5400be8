using Freshet.Broker.Producers;

namespace Freshet.Broker.Tests.Producers;

public sealed class ProducerIdManagerTests
{
    [Fact]
    public void Ids_come_from_the_controllers_blocks_in_order_and_never_repeat()
    {
        var next = 0L;
        var requests = 0;
        var manager = new ProducerIdManager(_ =>
        {
            Interlocked.Increment(ref requests);
            var start = Interlocked.Add(ref next, 10) - 10;
            return Task.FromResult(new ProducerIdBlock(start, 10));
        });

        var ids = new List<long>();
        for (var i = 0; i < 35; i++)
        {
            ids.Add(manager.NextProducerId());
        }

        Assert.Equal(Enumerable.Range(0, 35).Select(i => (long)i), ids);
        // Four blocks cover 35 ids; the fourth was fetched ahead, at 90% of the third.
        Assert.InRange(Volatile.Read(ref requests), 4, 5);
    }

    [Fact]
    public void A_block_that_ends_before_the_current_one_is_ignored()
    {
        var blocks = new Queue<ProducerIdBlock>([new ProducerIdBlock(100, 2), new ProducerIdBlock(0, 2), new ProducerIdBlock(200, 2)]);
        var manager = new ProducerIdManager(_ => Task.FromResult(blocks.Dequeue()));

        Assert.Equal(100, manager.NextProducerId());
        Assert.Equal(101, manager.NextProducerId());
        Assert.Equal(200, manager.NextProducerId());
    }

    [Fact]
    public void A_controller_failure_is_an_IOException_and_the_next_call_tries_again()
    {
        var fail = true;
        var manager = new ProducerIdManager(_ => fail
            ? Task.FromException<ProducerIdBlock>(new TimeoutException("no controller"))
            : Task.FromResult(new ProducerIdBlock(5000, 1000)));

        var e = Assert.Throws<IOException>(() => manager.NextProducerId());
        Assert.Contains("no controller", e.Message, StringComparison.Ordinal);

        fail = false;
        Assert.Equal(5000, manager.NextProducerId());
    }
}
