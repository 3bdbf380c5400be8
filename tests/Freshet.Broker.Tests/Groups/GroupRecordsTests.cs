using Freshet.Broker.Groups;
using Freshet.Storage;

namespace Freshet.Broker.Tests.Groups;

/// <summary>Golden bytes and placement: what reaches __consumer_offsets must match Kafka.</summary>
public sealed class GroupRecordsTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("a", 97)]
    [InlineData("hello", 99162322)]
    [InlineData("polygenelubricants", int.MinValue)]
    public void Java_string_hash_codes_match(string value, int expected) =>
        Assert.Equal(expected, GroupPartitioner.JavaHashCode(value));

    [Fact]
    public void Groups_land_on_Kafkas_partition_and_min_value_hashes_map_to_zero()
    {
        Assert.Equal(0, GroupPartitioner.PartitionFor("polygenelubricants", 50));
        Assert.Equal(99162322 % 50, GroupPartitioner.PartitionFor("hello", 50));
        // "hello world".hashCode() is 1794106052.
        Assert.Equal(1794106052 % 50, GroupPartitioner.PartitionFor("hello world", 50));
    }

    [Fact]
    public void Offset_commit_key_is_version_1_then_group_topic_partition()
    {
        var key = GroupRecords.OffsetKey("g", new TopicPartition("t", 2));
        Assert.Equal(new byte[] { 0, 1, 0, 1, (byte)'g', 0, 1, (byte)'t', 0, 0, 0, 2 }, key);
        Assert.Equal(new GroupRecords.Key("g", new TopicPartition("t", 2)), GroupRecords.ReadKey(key));
    }

    [Fact]
    public void Group_metadata_key_is_version_2_then_group()
    {
        var key = GroupRecords.GroupKey("g");
        Assert.Equal(new byte[] { 0, 2, 0, 1, (byte)'g' }, key);
        Assert.Equal(new GroupRecords.Key("g", null), GroupRecords.ReadKey(key));
    }

    [Fact]
    public void Offset_value_is_version_3_with_leader_epoch_and_round_trips()
    {
        var value = GroupRecords.OffsetValue(new CommittedOffset(5, 7, "m", 1000));
        Assert.Equal(
            new byte[] { 0, 3, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 7, 0, 1, (byte)'m', 0, 0, 0, 0, 0, 0, 3, 0xE8 },
            value);
        Assert.Equal(new CommittedOffset(5, 7, "m", 1000), GroupRecords.ReadOffsetValue(value));
    }
}
