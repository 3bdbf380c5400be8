using Freshet.Storage.Producers;

namespace Freshet.Storage.Tests.Producers;

public sealed class ProducerSequenceTests
{
    private const long Pid = 1000;

    [Fact]
    public void A_new_producer_starts_at_any_sequence_and_then_must_follow_it()
    {
        using var fixture = new LogFixture(new LogConfig());
        Assert.Equal(0, fixture.Log.Append(ProducerBatches.Data(Pid, 0, 42, records: 3)).FirstOffset);
        Assert.Equal(3, fixture.Log.Append(ProducerBatches.Data(Pid, 0, 45, records: 2)).FirstOffset);
        Assert.Throws<OutOfOrderSequenceException>(() => fixture.Log.Append(ProducerBatches.Data(Pid, 0, 48)));
        Assert.Equal(5, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void Retries_of_the_last_five_batches_get_their_original_offsets_and_are_not_written_again()
    {
        using var fixture = new LogFixture(new LogConfig());
        var batches = new List<byte[]>();
        for (var i = 0; i < 6; i++)
        {
            var batch = ProducerBatches.Data(Pid, 0, i * 2, records: 2);
            batches.Add(batch);
            fixture.Log.Append((byte[])batch.Clone());
        }
        for (var i = 1; i < 6; i++)
        {
            var retry = fixture.Log.Append((byte[])batches[i].Clone());
            Assert.True(retry.IsDuplicate);
            Assert.Equal((i * 2L, (i * 2L) + 1), (retry.FirstOffset, retry.LastOffset));
        }
        Assert.Equal(12, fixture.Log.LogEndOffset);
        // The sixth-newest batch is no longer retained: its retry is out of order, as in Kafka.
        Assert.Throws<OutOfOrderSequenceException>(() => fixture.Log.Append((byte[])batches[0].Clone()));
        Assert.Equal(12, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void A_gap_is_out_of_order()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Log.Append(ProducerBatches.Data(Pid, 0, 0));
        Assert.Throws<OutOfOrderSequenceException>(() => fixture.Log.Append(ProducerBatches.Data(Pid, 0, 2)));
        Assert.Equal(1, fixture.Log.Append(ProducerBatches.Data(Pid, 0, 1)).FirstOffset);
    }

    [Fact]
    public void An_older_epoch_is_refused_and_a_new_epoch_starts_at_sequence_zero()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Log.Append(ProducerBatches.Data(Pid, 3, 0, records: 5));
        Assert.Throws<InvalidProducerEpochException>(() => fixture.Log.Append(ProducerBatches.Data(Pid, 2, 5)));
        Assert.Throws<OutOfOrderSequenceException>(() => fixture.Log.Append(ProducerBatches.Data(Pid, 4, 5)));
        Assert.Equal(5, fixture.Log.Append(ProducerBatches.Data(Pid, 4, 0)).FirstOffset);
        // The old epoch's batches are forgotten: its retry is refused, not deduplicated.
        Assert.Throws<InvalidProducerEpochException>(() => fixture.Log.Append(ProducerBatches.Data(Pid, 3, 0, records: 5)));
    }

    [Fact]
    public void Sequences_wrap_from_int_max_to_zero()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Log.Append(ProducerBatches.Data(Pid, 0, int.MaxValue - 1, records: 3));
        Assert.True(fixture.Log.Append(ProducerBatches.Data(Pid, 0, int.MaxValue - 1, records: 3)).IsDuplicate);
        Assert.Throws<OutOfOrderSequenceException>(() => fixture.Log.Append(ProducerBatches.Data(Pid, 0, 0)));
        Assert.Equal(3, fixture.Log.Append(ProducerBatches.Data(Pid, 0, 1)).FirstOffset);
        Assert.Equal(
            new ActiveProducer(Pid, 0, 1, 1000, -1, -1),
            Assert.Single(fixture.Log.ActiveProducers()));
    }

    [Fact]
    public void Producers_are_independent()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Log.Append(ProducerBatches.Data(1, 0, 0));
        fixture.Log.Append(ProducerBatches.Data(2, 0, 7));
        fixture.Log.Append(ProducerBatches.Data(1, 0, 1));
        Assert.True(fixture.Log.Append(ProducerBatches.Data(2, 0, 7)).IsDuplicate);
        Assert.Equal(3, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void Coordinator_writes_skip_the_sequence_check_but_not_the_epoch_check()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Log.Append(ProducerBatches.Data(Pid, 2, 0, transactional: true));
        fixture.Log.Append(ProducerBatches.Data(Pid, 2, -1, transactional: true), AppendOrigin.Coordinator);
        Assert.Throws<InvalidProducerEpochException>(() =>
            fixture.Log.Append(ProducerBatches.Data(Pid, 1, -1, transactional: true), AppendOrigin.Coordinator));
        Assert.Equal(2, fixture.Log.LogEndOffset);
    }

    [Fact]
    public void Non_transactional_writes_during_an_open_transaction_are_refused()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Log.Append(ProducerBatches.Data(Pid, 0, 0, transactional: true));
        Assert.Throws<InvalidTxnStateException>(() => fixture.Log.Append(ProducerBatches.Data(Pid, 0, 1)));
    }

    [Fact]
    public void Producers_idle_past_the_expiration_are_forgotten_unless_a_transaction_is_open()
    {
        using var fixture = new LogFixture(new LogConfig());
        fixture.Log.Append(ProducerBatches.Data(1, 0, 0, timestamp: 1000));
        fixture.Log.Append(ProducerBatches.Data(2, 0, 0, transactional: true, timestamp: 1000));
        fixture.Log.Append(ProducerBatches.Data(3, 0, 0, timestamp: 5000));
        Assert.Equal(1, fixture.Log.RemoveExpiredProducers(nowMs: 6000, expirationMs: 2000));
        Assert.Equal([2L, 3L], fixture.Log.ActiveProducers().Select(p => p.ProducerId).Order());
        // A forgotten producer is unknown again: any sequence is accepted.
        Assert.False(fixture.Log.Append(ProducerBatches.Data(1, 0, 9)).IsDuplicate);
    }
}
