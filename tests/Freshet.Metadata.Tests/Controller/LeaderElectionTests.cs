using System.Collections.Immutable;
using Freshet.Metadata.Controller;
using Freshet.Metadata.Image;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Tests.Controller;

public class LeaderElectionTests
{
    private static readonly ImmutableArray<int> Replicas = [3, 1, 2];

    [Fact]
    public void The_first_replica_in_assignment_order_that_is_in_the_isr_and_eligible_leads()
    {
        var outcome = LeaderElection.Elect(Replicas, [2, 1], Live(1, 2, 3), uncleanAllowed: false);

        // 3 is eligible but outside the ISR; 1 comes before 2 in the assignment, whatever the ISR order.
        Assert.Equal(1, outcome.Leader);
        Assert.Equal([2, 1], outcome.Isr.ToArray());
        Assert.False(outcome.Unclean);
    }

    [Fact]
    public void Fenced_or_shutting_down_isr_members_are_passed_over()
    {
        var outcome = LeaderElection.Elect(Replicas, [3, 1, 2], Live(2), uncleanAllowed: false);

        Assert.Equal(2, outcome.Leader);
        Assert.Equal([3, 1, 2], outcome.Isr.ToArray());
    }

    [Fact]
    public void Without_an_eligible_isr_member_and_without_unclean_election_the_partition_is_leaderless_and_keeps_its_isr()
    {
        var outcome = LeaderElection.Elect(Replicas, [3], Live(1, 2), uncleanAllowed: false);

        Assert.Equal(PartitionImage.NoLeader, outcome.Leader);
        Assert.Equal([3], outcome.Isr.ToArray());
    }

    [Fact]
    public void Unclean_election_picks_the_first_live_replica_and_the_isr_becomes_just_it()
    {
        var outcome = LeaderElection.Elect(Replicas, [3], Live(2, 1), uncleanAllowed: true);

        Assert.Equal(1, outcome.Leader);
        Assert.Equal([1], outcome.Isr.ToArray());
        Assert.True(outcome.Unclean);
    }

    [Fact]
    public void Unclean_election_still_prefers_a_clean_leader()
    {
        var outcome = LeaderElection.Elect(Replicas, [2], Live(1, 2), uncleanAllowed: true);

        Assert.Equal(2, outcome.Leader);
        Assert.False(outcome.Unclean);
    }

    [Fact]
    public void With_no_live_replica_at_all_even_unclean_election_finds_no_leader()
    {
        var outcome = LeaderElection.Elect(Replicas, [3], Live(), uncleanAllowed: true);

        Assert.Equal(PartitionImage.NoLeader, outcome.Leader);
        Assert.Equal([3], outcome.Isr.ToArray());
    }

    [Fact]
    public void A_change_keeps_a_leader_that_stays_in_the_isr_and_eligible()
    {
        var partition = Partition(leader: 1, isr: [3, 1, 2]);

        var change = PartitionChangeBuilder.Build(TopicId, partition, [1, 2], Live(1, 2, 3), uncleanAllowed: false);

        Assert.NotNull(change);
        Assert.Equal(PartitionImage.LeaderUnchanged, change.Leader);
        Assert.Equal([1, 2], change.Isr);
    }

    [Fact]
    public void A_change_that_drops_the_leader_from_the_isr_elects_the_next_one()
    {
        var partition = Partition(leader: 3, isr: [3, 1, 2]);

        var change = PartitionChangeBuilder.Build(TopicId, partition, PartitionChangeBuilder.IsrWithout(partition.Isr, 3), Live(1, 2), uncleanAllowed: false);

        Assert.NotNull(change);
        Assert.Equal(1, change.Leader);
        Assert.Equal([1, 2], change.Isr);
    }

    [Fact]
    public void Removing_the_last_isr_member_keeps_it_and_leaves_the_partition_leaderless()
    {
        var partition = Partition(leader: 3, isr: [3]);

        var change = PartitionChangeBuilder.Build(TopicId, partition, PartitionChangeBuilder.IsrWithout(partition.Isr, 3), Live(1, 2), uncleanAllowed: false);

        Assert.NotNull(change);
        Assert.Equal(PartitionImage.NoLeader, change.Leader);
        Assert.Null(change.Isr);
    }

    [Fact]
    public void No_change_builds_no_record()
    {
        var partition = Partition(leader: 3, isr: [3, 1]);

        Assert.Null(PartitionChangeBuilder.Build(TopicId, partition, [3, 1], Live(1, 2, 3), uncleanAllowed: false));
    }

    [Fact]
    public void A_preferred_change_moves_leadership_to_the_first_replica_when_it_can_lead()
    {
        var partition = Partition(leader: 1, isr: [3, 1]);

        var change = PartitionChangeBuilder.Build(TopicId, partition, partition.Isr, Live(1, 3), uncleanAllowed: false, preferPreferredLeader: true);

        Assert.NotNull(change);
        Assert.Equal(3, change.Leader);
        Assert.Null(change.Isr);
    }

    private static readonly KafkaUuid TopicId = new(1, 2);

    private static PartitionImage Partition(int leader, ImmutableArray<int> isr) =>
        new(0, Replicas, isr, [], [], leader, LeaderEpoch: 4, PartitionEpoch: 9);

    private static Func<int, bool> Live(params int[] ids) => ids.Contains;
}
