using Freshet.Broker.Transactions;
using Freshet.Storage;

namespace Freshet.Broker.Tests.Transactions;

/// <summary>Golden bytes of the __transaction_state records: Kafka's key v0 and value v0 layouts.</summary>
public sealed class TransactionRecordsTests
{
    [Fact]
    public void The_key_is_version_0_then_the_transactional_id()
    {
        Assert.Equal(Convert.FromHexString("0000" + "0002" + "7478"), TransactionRecords.Key("tx"));
        Assert.Equal("tx", TransactionRecords.ReadKey(TransactionRecords.Key("tx")));
    }

    [Fact]
    public void The_value_holds_producer_timeout_state_partitions_by_topic_and_timestamps()
    {
        var snapshot = new TransactionSnapshot(0x0102030405060708, 3, 60_000, TransactionState.Ongoing, new HashSet<TopicPartition> { new("a", 2), new("a", 0) }, 5, 6);

        var bytes = TransactionRecords.Value(snapshot);

        Assert.Equal(Convert.FromHexString(
            "0000" +                          // value version 0
            "0102030405060708" + "0003" +     // producer id, epoch
            "0000EA60" + "01" +               // timeout 60000 ms, status Ongoing
            "00000001" + "000161" +           // one topic, "a"
            "00000002" + "00000000" + "00000002" + // partitions 0 and 2, sorted
            "0000000000000006" +              // last update
            "0000000000000005"), bytes);      // start
        var read = TransactionRecords.ReadValue(bytes);
        Assert.Equal(snapshot with { Partitions = read.Partitions }, read);
        Assert.True(read.Partitions.SetEquals(snapshot.Partitions));
    }

    [Fact]
    public void An_empty_transaction_writes_null_partitions_as_Kafka_does()
    {
        var bytes = TransactionRecords.Value(new TransactionSnapshot(7, 0, 1000, TransactionState.Empty, TransactionSnapshot.NoPartitions, -1, 9));

        Assert.Equal("FFFFFFFF", Convert.ToHexString(bytes, 2 + 8 + 2 + 4 + 1, 4));
        Assert.Empty(TransactionRecords.ReadValue(bytes).Partitions);
    }
}
