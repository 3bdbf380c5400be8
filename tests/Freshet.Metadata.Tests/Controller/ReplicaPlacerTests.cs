using System.Collections.Immutable;
using Freshet.Metadata.Controller;

namespace Freshet.Metadata.Tests.Controller;

public class ReplicaPlacerTests
{
    [Theory]
    [InlineData(3, 3, 3)]
    [InlineData(5, 10, 3)]
    [InlineData(4, 12, 2)]
    [InlineData(6, 6, 1)]
    public void Whole_rounds_give_every_broker_equal_leaders_and_replicas(int brokers, int partitions, int replicationFactor)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var placement = new ReplicaPlacer(new Random(seed)).Place(partitions, replicationFactor, Brokers(brokers));

            Assert.Equal(partitions, placement.Count);
            var leaders = new Dictionary<int, int>();
            var replicas = new Dictionary<int, int>();
            foreach (var assignment in placement)
            {
                Assert.Equal(replicationFactor, assignment.Length);
                Assert.Equal(replicationFactor, assignment.Distinct().Count());
                leaders[assignment[0]] = leaders.GetValueOrDefault(assignment[0]) + 1;
                foreach (var broker in assignment)
                    replicas[broker] = replicas.GetValueOrDefault(broker) + 1;
            }
            Assert.Equal(brokers, leaders.Count);
            Assert.All(leaders.Values, count => Assert.Equal(partitions / brokers, count));
            Assert.All(replicas.Values, count => Assert.Equal(partitions * replicationFactor / brokers, count));
        }
    }

    [Fact]
    public void Follower_sets_differ_between_partitions_led_by_the_same_broker()
    {
        var placement = new ReplicaPlacer(new Random(7)).Place(partitions: 6, replicationFactor: 2, Brokers(3));

        var byLeader = placement.GroupBy(a => a[0]);
        Assert.All(byLeader, group => Assert.Equal(group.Count(), group.Select(a => a[1]).Distinct().Count()));
    }

    [Fact]
    public void Replicas_of_a_partition_go_to_distinct_racks()
    {
        // Racks of unequal size: a holds 3 brokers, b 2, c 1.
        PlacementBroker[] brokers =
        [
            new(1, "a"), new(2, "a"), new(3, "a"), new(4, "b"), new(5, "b"), new(6, "c"),
        ];
        var racks = brokers.ToDictionary(b => b.Id, b => b.Rack);
        for (var seed = 0; seed < 20; seed++)
        {
            var placement = new ReplicaPlacer(new Random(seed)).Place(partitions: 12, replicationFactor: 3, brokers);

            Assert.All(placement, assignment => Assert.Equal(3, assignment.Select(b => racks[b]).Distinct().Count()));
        }
    }

    [Fact]
    public void More_replicas_than_racks_spread_over_every_rack_first()
    {
        PlacementBroker[] brokers = [new(1, "a"), new(2, "a"), new(3, "b"), new(4, "b")];
        var racks = brokers.ToDictionary(b => b.Id, b => b.Rack);

        var placement = new ReplicaPlacer(new Random(3)).Place(partitions: 8, replicationFactor: 3, brokers);

        Assert.All(placement, assignment =>
        {
            Assert.Equal(3, assignment.Distinct().Count());
            Assert.Equal(2, assignment.Select(b => racks[b]).Distinct().Count());
        });
    }

    [Fact]
    public void Too_high_a_replication_factor_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicaPlacer(new Random(1)).Place(1, 4, Brokers(3)));
    }

    private static List<PlacementBroker> Brokers(int count) =>
        Enumerable.Range(1, count).Select(id => new PlacementBroker(id, null)).ToList();

    internal static ImmutableArray<int> Ids(params int[] ids) => [.. ids];
}
