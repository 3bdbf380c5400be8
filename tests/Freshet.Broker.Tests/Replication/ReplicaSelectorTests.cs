using Freshet.Broker.Configuration;
using Freshet.Broker.Replication.Selection;
using static Freshet.Broker.Tests.Replication.PartitionFixture;

namespace Freshet.Broker.Tests.Replication;

public sealed class ReplicaSelectorTests
{
    private static readonly RackAwareReplicaSelector RackAware = new();

    [Fact]
    public void A_consumer_without_a_rack_reads_from_the_leader()
    {
        ReplicaView[] replicas = [new(1, "r1", 100, 0), new(2, "r2", 100, 0)];

        Assert.Equal(1, RackAware.Select("", replicas));
    }

    [Fact]
    public void The_leader_serves_a_consumer_in_its_own_rack_even_when_a_follower_shares_it()
    {
        ReplicaView[] replicas = [new(1, "r1", 100, 0), new(2, "r1", 100, 0), new(3, "r2", 100, 0)];

        Assert.Equal(1, RackAware.Select("r1", replicas));
    }

    [Fact]
    public void A_follower_in_the_consumers_rack_is_chosen_over_the_leader()
    {
        ReplicaView[] replicas = [new(1, "r1", 100, 0), new(2, "r2", 90, 10), new(3, "r3", 100, 0)];

        Assert.Equal(2, RackAware.Select("r2", replicas));
        Assert.Equal(3, RackAware.Select("r3", replicas));
    }

    [Fact]
    public void A_rack_no_replica_is_in_leaves_the_consumer_on_the_leader()
    {
        ReplicaView[] replicas = [new(1, "r1", 100, 0), new(2, "r2", 100, 0), new(3, null, 100, 0)];

        Assert.Equal(1, RackAware.Select("r9", replicas));
    }

    [Fact]
    public void Among_followers_of_one_rack_the_longest_log_then_the_most_recently_caught_up_then_the_higher_id_wins()
    {
        Assert.Equal(3, RackAware.Select("r2", [new(1, "r1", 100, 0), new(2, "r2", 90, 0), new(3, "r2", 95, 50)]));
        Assert.Equal(2, RackAware.Select("r2", [new(1, "r1", 100, 0), new(2, "r2", 95, 10), new(3, "r2", 95, 50)]));
        Assert.Equal(3, RackAware.Select("r2", [new(1, "r1", 100, 0), new(2, "r2", 95, 10), new(3, "r2", 95, 10)]));
    }

    [Fact]
    public void The_leader_selector_always_names_the_leader()
    {
        Assert.Equal(1, new LeaderReplicaSelector().Select("r2", [new(1, "r1", 100, 0), new(2, "r2", 100, 0)]));
    }

    [Fact]
    public void Kafka_class_names_and_freshet_names_configure_the_selector_and_anything_else_is_refused()
    {
        Assert.Null(BrokerConfigLoader.Load([]).ReplicaSelectorClass);
        Assert.Null(ReplicaSelectors.FromName(null));

        var kafka = BrokerConfigLoader.Load([new("replica.selector.class", "org.apache.kafka.common.replica.RackAwareReplicaSelector")]);
        Assert.IsType<RackAwareReplicaSelector>(ReplicaSelectors.FromName(kafka.ReplicaSelectorClass));
        var leader = BrokerConfigLoader.Load([new("replica.selector.class", "org.apache.kafka.common.replica.LeaderSelector")]);
        Assert.IsType<LeaderReplicaSelector>(ReplicaSelectors.FromName(leader.ReplicaSelectorClass));
        var own = BrokerConfigLoader.Load([new("replica.selector.class", ReplicaSelectors.RackAware)]);
        Assert.IsType<RackAwareReplicaSelector>(ReplicaSelectors.FromName(own.ReplicaSelectorClass));

        Assert.Throws<ConfigException>(() => BrokerConfigLoader.Load([new("replica.selector.class", "com.example.NearestSelector")]));
    }

    [Fact]
    public void Read_replicas_are_the_leader_and_the_in_sync_followers_that_hold_the_fetch_offset()
    {
        using var fixture = new PartitionFixture();
        var partition = fixture.Partition;
        partition.ApplyState(State(1, 1, 1, [1, 2, 3, 4], [1, 2, 3]));
        fixture.Append(10);
        partition.OnFollowerFetch(2, 10);
        partition.OnFollowerFetch(3, 6);
        // Broker 4 holds everything but is not in the ISR yet (its ISR change is still at the controller): only
        // committed in-sync replicas are offered, as a lagging one would hold its consumers back.
        fixture.Channel.HoldNext = true;
        partition.OnFollowerFetch(4, 10);
        var views = new ReplicaView[4];

        var count = partition.CollectReadReplicas(8, views);

        Assert.Equal(2, count);
        Assert.Equal((1, 10L, 0L), (views[0].BrokerId, views[0].LogEndOffset, views[0].TimeSinceLastCaughtUpMs));
        Assert.Equal((2, 10L), (views[1].BrokerId, views[1].LogEndOffset));
        Assert.Equal(3, partition.CollectReadReplicas(6, views));
    }

    [Fact]
    public void A_follower_collects_no_read_replicas()
    {
        using var fixture = new PartitionFixture();
        fixture.Partition.ApplyState(State(2, 1, 1, [1, 2, 3], [1, 2, 3]));

        Assert.Equal(0, fixture.Partition.CollectReadReplicas(0, new ReplicaView[3]));
    }
}
