using Freshet.Metadata.Controller;
using Freshet.Metadata.Image;
using Freshet.Metadata.Records;
using Freshet.Metadata.Tests.Image;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Tests.Controller;

public class LeaderImbalanceTests
{
    private static readonly KafkaUuid B1 = KafkaUuid.NewRandom();
    private static readonly KafkaUuid B2 = KafkaUuid.NewRandom();

    [Theory]
    [InlineData(1, 10, 0)] // 1 of 10 partitions preferring broker 1 led elsewhere: 10 %, not above 10 %
    [InlineData(2, 10, 2)] // 20 %: both go back
    [InlineData(1, 0, 1)] // a threshold of 0 balances any stray leader
    [InlineData(10, 100, 0)] // 100 % never exceeds 100 %
    public void Only_a_broker_whose_share_of_stray_leaders_exceeds_the_percentage_gets_its_partitions_back(int stray, int percentage, int expected)
    {
        var image = ImageWithBroker1Preferred(partitions: 10, ledByBroker2: stray);

        var partitions = LeaderImbalance.PartitionsToRebalance(image, percentage);

        Assert.Equal(expected, partitions.Count);
        Assert.All(partitions, p => Assert.True(p.Partition < stray));
    }

    [Fact]
    public void Each_broker_is_judged_on_its_own_partitions()
    {
        // Broker 1 prefers 10 partitions and leads 9; broker 2 prefers 2 and leads 1 of them.
        var image = ImageWithBroker1Preferred(partitions: 10, ledByBroker2: 1);
        image = MetadataDeltaTests.Apply(image, image.Offset + 1,
        [
            MetadataRecord.Of(new TopicRecord { Name = "b2", TopicId = B2 }),
            MetadataRecord.Of(new PartitionRecord { TopicId = B2, PartitionId = 0, Replicas = [2, 1], Isr = [2, 1], Leader = 2 }),
            MetadataRecord.Of(new PartitionRecord { TopicId = B2, PartitionId = 1, Replicas = [2, 1], Isr = [2, 1], Leader = 1 }),
        ]);

        var partitions = LeaderImbalance.PartitionsToRebalance(image, percentage: 10);

        Assert.Equal([new TopicPartitionName("b2", 1)], partitions);
    }

    [Fact]
    public async Task Rebalancing_leaves_a_broker_below_the_threshold_alone()
    {
        await using var cluster = await ControllerCluster.StartAsync(nodes: 1, clock => new QuorumControllerOptions
        {
            Time = clock,
            BrokerSessionTimeoutMs = ControllerCluster.SessionTimeoutMs,
            SessionCheckIntervalMs = 3_600_000,
            LeaderImbalanceCheckIntervalMs = 3_600_000,
            LeaderImbalancePerBrokerPercentage = 50,
        });
        var active = await cluster.ActiveAsync();
        await cluster.AddBrokersAsync(1, 2);
        await active.CreateTopicAsync(new CreateTopicSpec("t", 0, 0, Assignments: [[1, 2], [1, 2], [1, 2]]));
        var topicId = active.Image.TopicByName("t")!.Id;

        // Broker 1 is fenced (broker 2 takes all three), comes back and rejoins every ISR.
        cluster.Clock.Advance(TimeSpan.FromMilliseconds(ControllerCluster.SessionTimeoutMs + 1));
        await cluster.HeartbeatAsync(2);
        await active.FenceExpiredBrokersAsync(CancellationToken.None);
        Assert.False((await cluster.HeartbeatAsync(1)).IsFenced);
        for (var p = 0; p < 3; p++)
        {
            var state = active.Image.Partition("t", p)!;
            Assert.Equal(2, state.Leader);
            var rejoined = await active.AlterPartitionAsync(2, cluster.Epochs[2], [new IsrUpdate(topicId, p, state.LeaderEpoch, state.PartitionEpoch, [2, 1])]);
            Assert.Equal(ErrorCode.None, rejoined.Partitions[0].Error);
        }
        // Two of the three go back by request: one of three (33 %) stays with broker 2.
        await active.ElectLeadersAsync(ElectionType.Preferred, [new TopicPartitionName("t", 1), new TopicPartitionName("t", 2)]);

        var reply = await active.RebalanceLeadersAsync(CancellationToken.None);

        Assert.Empty(reply.Partitions);
        Assert.Equal(2, active.Image.Partition("t", 0)!.Leader);
        Assert.Equal(1, active.Image.Partition("t", 1)!.Leader);
    }

    [Fact]
    public void The_percentage_must_be_between_0_and_100()
    {
        Assert.Throws<ArgumentException>(() => new QuorumControllerOptions { LeaderImbalancePerBrokerPercentage = 101 }.Validate());
        Assert.Throws<ArgumentException>(() => new QuorumControllerOptions { LeaderImbalancePerBrokerPercentage = -1 }.Validate());
        new QuorumControllerOptions { LeaderImbalancePerBrokerPercentage = 0 }.Validate();
    }

    private static MetadataImage ImageWithBroker1Preferred(int partitions, int ledByBroker2)
    {
        var records = new List<MetadataRecord> { MetadataRecord.Of(new TopicRecord { Name = "b1", TopicId = B1 }) };
        for (var p = 0; p < partitions; p++)
        {
            records.Add(MetadataRecord.Of(new PartitionRecord
            {
                TopicId = B1, PartitionId = p, Replicas = [1, 2], Isr = [1, 2], Leader = p < ledByBroker2 ? 2 : 1,
            }));
        }
        return MetadataDeltaTests.Apply(MetadataImage.Empty, 0, records);
    }
}
