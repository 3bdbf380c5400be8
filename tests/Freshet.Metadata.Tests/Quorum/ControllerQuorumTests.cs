using Freshet.Metadata.Image;
using Freshet.Metadata.Quorum;
using Freshet.Metadata.Records;
using Freshet.Metadata.Tests.Image;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Tests.Quorum;

public class ControllerQuorumTests
{
    [Fact]
    public async Task A_single_combined_node_elects_itself_and_commits()
    {
        await using var quorum = new QuorumHarness(nodes: 1);
        var node = await quorum.StartAsync(1);

        var leader = await quorum.WaitForLeaderAsync();
        var offset = await quorum.AppendAsync(MetadataDeltaTests.ClusterRecords());

        Assert.Same(node, leader);
        Assert.Equal(1, node.LeaderId);
        Assert.True(offset > 0);
        Assert.Equal(offset, node.Image.Offset);
        Assert.Equal(3, node.Image.Brokers.Count);
        Assert.Equal(2, node.Image.TopicByName("orders")!.Partitions.Count);
        Assert.Equal(5000, node.Image.NextProducerId);
    }

    [Fact]
    public async Task Waiting_for_a_leader_returns_once_one_is_known_and_false_when_none_can_be_elected()
    {
        await using var quorum = new QuorumHarness(nodes: 3);
        var alone = await quorum.StartAsync(1);

        // One of three voters cannot win an election: the wait runs out and says so.
        Assert.False(await alone.TryWaitForLeaderAsync(TimeSpan.FromMilliseconds(300)));

        await quorum.StartAsync(2);
        Assert.True(await alone.TryWaitForLeaderAsync(QuorumHarness.Deadline));
        Assert.NotNull(alone.LeaderId);
        Assert.True(await alone.TryWaitForLeaderAsync(TimeSpan.Zero));
    }

    [Fact]
    public async Task Three_nodes_replicate_appended_records_to_every_image()
    {
        await using var quorum = new QuorumHarness(nodes: 3);
        await quorum.StartAllAsync();

        var first = await quorum.AppendAsync(MetadataDeltaTests.ClusterRecords());
        var last = await quorum.AppendAsync([Topic("payments")]);

        Assert.True(last > first);
        foreach (var node in quorum.Running)
        {
            var image = await WaitForOffset(node, last);
            Assert.NotNull(image.TopicByName("orders"));
            Assert.NotNull(image.TopicByName("payments"));
            Assert.Equal(3, image.Brokers.Count);
        }
    }

    [Fact]
    public async Task A_follower_watching_its_image_sees_each_append_in_offset_order()
    {
        await using var quorum = new QuorumHarness(nodes: 3);
        await quorum.StartAllAsync();
        var leader = await quorum.WaitForLeaderAsync();
        var follower = quorum.Running.First(n => n.NodeId != leader.NodeId);
        using var timeout = new CancellationTokenSource(QuorumHarness.Deadline);
        var seen = new List<MetadataImage>();
        var watching = Task.Run(async () =>
        {
            await foreach (var image in follower.WatchAsync(timeout.Token))
            {
                seen.Add(image);
                if (image.TopicByName("third") is not null)
                    return;
            }
        });

        foreach (var name in new[] { "first", "second", "third" })
            await quorum.AppendAsync([Topic(name)]);
        await watching;

        for (var i = 1; i < seen.Count; i++)
            Assert.True(seen[i].Offset > seen[i - 1].Offset);
        Assert.Equal(3, seen[^1].TopicsById.Count);
    }

    [Fact]
    public async Task Appending_on_a_follower_is_refused_with_not_controller()
    {
        await using var quorum = new QuorumHarness(nodes: 3);
        await quorum.StartAllAsync();
        var leader = await quorum.WaitForLeaderAsync();

        var follower = quorum.Running.First(n => n.NodeId != leader.NodeId);

        await Assert.ThrowsAsync<NotControllerException>(() => follower.AppendAsync([Topic("nope")]));
    }

    [Fact]
    public async Task When_the_leader_stops_another_is_elected_and_keeps_committing()
    {
        await using var quorum = new QuorumHarness(nodes: 3);
        await quorum.StartAllAsync();
        await quorum.AppendAsync([Topic("before")]);
        var oldLeader = await quorum.WaitForLeaderAsync();

        await quorum.StopAsync(oldLeader.NodeId);
        var newLeader = await quorum.WaitForLeaderAsync();
        var offset = await quorum.AppendAsync([Topic("after")]);

        Assert.NotEqual(oldLeader.NodeId, newLeader.NodeId);
        foreach (var node in quorum.Running)
        {
            var image = await WaitForOffset(node, offset);
            Assert.NotNull(image.TopicByName("before"));
            Assert.NotNull(image.TopicByName("after"));
        }
    }

    [Fact]
    public async Task A_restarted_node_recovers_its_image_from_the_write_ahead_log()
    {
        await using var quorum = new QuorumHarness(nodes: 1);
        await quorum.StartAsync(1);
        await quorum.AppendAsync(MetadataDeltaTests.ClusterRecords());
        var offset = await quorum.AppendAsync([Topic("payments")]);
        var before = quorum.Running.Single().Image;

        await quorum.StopAsync(1);
        var restarted = await quorum.StartAsync(1);

        var after = await WaitForOffset(restarted, offset);
        ImageAssert.Equivalent(before, after with { Offset = before.Offset });
    }

    [Fact]
    public async Task A_restarted_node_recovers_its_image_from_a_snapshot()
    {
        await using var quorum = new QuorumHarness(nodes: 1, snapshotEveryEntries: 2);
        await quorum.StartAsync(1);
        var offset = 0L;
        for (var i = 0; i < 6; i++)
            offset = await quorum.AppendAsync([Topic($"topic-{i}")]);
        var before = quorum.Running.Single().Image;
        var snapshots = Path.Combine(quorum.MetadataDir(1), ControllerQuorumOptions.LogDirName, "snapshots");
        await Poll(() => Directory.EnumerateFiles(snapshots, "*", SearchOption.AllDirectories).Any());

        await quorum.StopAsync(1);
        var restarted = await quorum.StartAsync(1);

        var after = await WaitForOffset(restarted, offset);
        ImageAssert.Equivalent(before, after with { Offset = before.Offset });
        Assert.Equal(6, after.TopicsById.Count);
    }

    [Fact]
    public async Task A_follower_that_was_down_catches_up_when_restarted()
    {
        await using var quorum = new QuorumHarness(nodes: 3);
        await quorum.StartAllAsync();
        await quorum.AppendAsync([Topic("first")]);
        var leader = await quorum.WaitForLeaderAsync();
        var followerId = quorum.Voters.First(v => v.Id != leader.NodeId).Id;

        await quorum.StopAsync(followerId);
        var offset = await quorum.AppendAsync([Topic("while-down")]);
        var follower = await quorum.StartAsync(followerId);

        var image = await WaitForOffset(follower, offset);
        Assert.NotNull(image.TopicByName("first"));
        Assert.NotNull(image.TopicByName("while-down"));
    }

    [Fact]
    public async Task A_whole_quorum_restarted_from_disk_keeps_every_committed_record_and_commits_more()
    {
        await using var quorum = new QuorumHarness(nodes: 3);
        await quorum.StartAllAsync();
        await quorum.AppendAsync(MetadataDeltaTests.ClusterRecords());
        var offset = await quorum.AppendAsync([Topic("payments")]);

        foreach (var voter in quorum.Voters)
            await quorum.StopAsync(voter.Id);
        await quorum.StartAllAsync();
        var next = await quorum.AppendAsync([Topic("after-restart")]);

        Assert.True(next > offset);
        foreach (var node in quorum.Running)
        {
            var image = await WaitForOffset(node, next);
            Assert.Equal(3, image.Brokers.Count);
            Assert.NotNull(image.TopicByName("orders"));
            Assert.NotNull(image.TopicByName("payments"));
            Assert.NotNull(image.TopicByName("after-restart"));
        }
    }

    [Fact]
    public async Task A_node_whose_id_is_not_a_voter_does_not_start()
    {
        var voters = QuorumVoters.Parse("1@127.0.0.1:1");
        var dir = Directory.CreateTempSubdirectory("freshet-quorum-").FullName;
        try
        {
            await Assert.ThrowsAsync<ArgumentException>(() => ControllerQuorum.StartAsync(
                new ControllerQuorumOptions { NodeId = 2, Voters = voters, MetadataLogDir = dir }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static MetadataRecord Topic(string name) => MetadataRecord.Of(new TopicRecord { Name = name, TopicId = KafkaUuid.NewRandom() });

    private static async Task<MetadataImage> WaitForOffset(ControllerQuorum node, long offset)
    {
        using var timeout = new CancellationTokenSource(QuorumHarness.Deadline);
        return await node.WaitForOffsetAsync(offset, timeout.Token);
    }

    private static async Task Poll(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + QuorumHarness.Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("Condition not met in time.");
            await Task.Delay(20);
        }
    }
}
