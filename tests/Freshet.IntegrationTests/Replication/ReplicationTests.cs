using Confluent.Kafka;
using Freshet.Broker.InterBroker;
using P = Freshet.Protocol.Messages;
using static Freshet.IntegrationTests.Replication.ReplicatedCluster;

namespace Freshet.IntegrationTests.Replication;

public sealed class ReplicationTests
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["min.insync.replicas"] = "2",
        ["replica.lag.time.max.ms"] = "3000",
        ["replica.fetch.backoff.ms"] = "100",
        ["replica.fetch.wait.max.ms"] = "200",
    };

    [Fact]
    public async Task Acks_all_replicates_to_identical_follower_logs_and_survives_one_lost_follower_but_not_two()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3, Settings);
        await cluster.CreateTopicAsync(leader: 1);
        var leader = cluster.PartitionOn(1);
        Assert.True(leader.IsLeader);
        Assert.False(cluster.PartitionOn(2).IsLeader);

        using (var producer = new ProducerBuilder<Null, string>(cluster.Producer(1)).Build())
        {
            for (var i = 0; i < 20; i++)
            {
                var delivered = await producer.ProduceAsync(Topic, new Message<Null, string> { Value = "record-" + i });
                Assert.Equal(i, delivered.Offset.Value);
            }
        }
        // acks=all answered, so the high watermark had passed every record on the leader.
        Assert.Equal(20, leader.Log.HighWatermark);
        await EventuallyAsync(
            () => cluster.PartitionOn(2).Log.HighWatermark == 20 && cluster.PartitionOn(3).Log.HighWatermark == 20,
            "the followers learn the high watermark");
        var leaderBytes = cluster.SegmentBytes(1);
        Assert.Equal(leaderBytes, cluster.SegmentBytes(2));
        Assert.Equal(leaderBytes, cluster.SegmentBytes(3));
        Assert.Empty(cluster.AlterPartitionCalls);

        // One follower gone: it leaves the ISR after replica.lag.time.max.ms; two of three still satisfy min.insync.replicas=2.
        await cluster.StopAsync(3);
        await EventuallyAsync(() => leader.Isr.SequenceEqual([1, 2]), "broker 3 leaves the ISR");
        Assert.Contains(cluster.AlterPartitionCalls, call => call.Isr.SequenceEqual([1, 2]));
        using (var producer = new ProducerBuilder<Null, string>(cluster.Producer(1)).Build())
        {
            var delivered = await producer.ProduceAsync(Topic, new Message<Null, string> { Value = "with two" });
            Assert.Equal(20, delivered.Offset.Value);
        }
        await EventuallyAsync(() => cluster.PartitionOn(2).Log.LogEndOffset == 21, "broker 2 replicates the record");

        // Two followers gone: the ISR is the leader alone, below min.insync.replicas.
        await cluster.StopAsync(2);
        await EventuallyAsync(() => leader.Isr.SequenceEqual([1]), "broker 2 leaves the ISR");
        using (var producer = new ProducerBuilder<Null, string>(cluster.Producer(1, retries: 0)).Build())
        {
            var failure = await Assert.ThrowsAsync<ProduceException<Null, string>>(
                () => producer.ProduceAsync(Topic, new Message<Null, string> { Value = "alone" }));
            Assert.Equal(ErrorCode.NotEnoughReplicas, failure.Error.Code);
        }
        Assert.Equal(21, leader.Log.LogEndOffset);
    }

    [Fact]
    public async Task A_follower_rejoins_the_isr_once_it_catches_up()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(2, Settings);
        await cluster.CreateTopicAsync(leader: 1);
        var leader = cluster.PartitionOn(1);
        // The controller took broker 2 out (as after a restart); its fetches bring it back.
        cluster.Elect(1, [1], [1, 2]);
        await EventuallyAsync(() => leader.Isr.SequenceEqual([1, 2]), "broker 2 rejoins the ISR");
        Assert.Contains(cluster.AlterPartitionCalls, call => call.Isr.SequenceEqual([1, 2]));
    }

    [Fact]
    public async Task Only_the_leader_answers_clients_and_it_checks_their_leader_epoch()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(2, Settings);
        await cluster.CreateTopicAsync(leader: 1);
        using (var producer = new ProducerBuilder<Null, string>(cluster.Producer(1)).Build())
        {
            await producer.ProduceAsync(Topic, new Message<Null, string> { Value = "one" });
        }
        await using var toLeader = await Connect(cluster, 1);
        await using var toFollower = await Connect(cluster, 2);

        // Before version 11 a consumer's Fetch goes to the leader only; from 11 on (KIP-392) a follower serves it up to
        // the high watermark it learnt from the leader, as Kafka's followers do.
        Assert.Equal(P.ErrorCode.NotLeaderOrFollower, await FetchErrorAsync(toFollower, currentLeaderEpoch: -1, version: 10));
        Assert.Equal(P.ErrorCode.None, await FetchErrorAsync(toFollower, currentLeaderEpoch: -1));
        Assert.Equal(P.ErrorCode.None, await FetchErrorAsync(toLeader, currentLeaderEpoch: 1));
        Assert.Equal(P.ErrorCode.FencedLeaderEpoch, await FetchErrorAsync(toLeader, currentLeaderEpoch: 0));
        Assert.Equal(P.ErrorCode.UnknownLeaderEpoch, await FetchErrorAsync(toLeader, currentLeaderEpoch: 2));

        var epochs = await toLeader.SendAsync(
            new P.OffsetForLeaderEpochRequest
            {
                ReplicaId = -1,
                Topics = [new P.OffsetForLeaderEpochRequest.OffsetForLeaderTopic { Topic = Topic, Partitions = [new() { Partition = 0, CurrentLeaderEpoch = 1, LeaderEpoch = 1 }] }],
            },
            4, P.OffsetForLeaderEpochResponse.Read, CancellationToken.None);
        var end = Assert.Single(Assert.Single(epochs.Topics).Partitions);
        Assert.Equal((short)P.ErrorCode.None, end.ErrorCode);
        Assert.Equal(1, end.LeaderEpoch);
        Assert.Equal(1, end.EndOffset);

        var offsets = await toFollower.SendAsync(
            new P.ListOffsetsRequest
            {
                ReplicaId = -1,
                Topics = [new P.ListOffsetsRequest.ListOffsetsTopic { Name = Topic, Partitions = [new() { PartitionIndex = 0, Timestamp = -1, CurrentLeaderEpoch = -1 }] }],
            },
            4, P.ListOffsetsResponse.Read, CancellationToken.None);
        Assert.Equal((short)P.ErrorCode.NotLeaderOrFollower, Assert.Single(Assert.Single(offsets.Topics).Partitions).ErrorCode);
    }

    private static Task<BrokerClient> Connect(ReplicatedCluster cluster, int id) =>
        BrokerClient.ConnectAsync("127.0.0.1", cluster.Host(id).BoundEndPoint.Port, "test-client", CancellationToken.None);

    private static async Task<P.ErrorCode> FetchErrorAsync(BrokerClient client, int currentLeaderEpoch, short version = 12)
    {
        var response = await client.SendAsync(
            new P.FetchRequest
            {
                ReplicaId = -1,
                MaxWaitMs = 0,
                MaxBytes = 1 << 20,
                Topics = [new P.FetchRequest.FetchTopic { Topic = Topic, Partitions = [new() { Partition = 0, FetchOffset = 0, CurrentLeaderEpoch = currentLeaderEpoch, PartitionMaxBytes = 1 << 20 }] }],
            },
            version, P.FetchResponse.Read, CancellationToken.None);
        return (P.ErrorCode)Assert.Single(Assert.Single(response.Responses).Partitions).ErrorCode;
    }

    [Fact]
    public async Task A_new_leader_truncates_the_divergent_tail_of_the_old_one()
    {
        await using var cluster = await StartWithFiveSharedRecordsAsync();

        // Broker 2 is elected while broker 1 has not heard: broker 1 still takes acks=1 writes in epoch 1.
        cluster.Elect(2, [2, 3], [2, 3]);
        var oldLeader = cluster.PartitionOn(1);
        for (var i = 0; i < 3; i++)
        {
            oldLeader.AppendAsLeader(Protocol.Records.RecordBatchBuilder.Build([new Protocol.Records.Record(0, 1_700_000_000_000, null, "lost"u8.ToArray())]));
        }
        Assert.Equal(8, oldLeader.Log.LogEndOffset);
        using (var producer = new ProducerBuilder<Null, string>(cluster.Producer(2)).Build())
        {
            for (var i = 0; i < 4; i++)
            {
                await producer.ProduceAsync(Topic, new Message<Null, string> { Value = "epoch-2-" + i });
            }
        }

        // Broker 1 hears of the election, follows broker 2, and replaces its three records with broker 2's four.
        cluster.Tell(1);
        Assert.False(oldLeader.IsLeader);
        await EventuallyAsync(() => oldLeader.Log.LogEndOffset == 9 && oldLeader.Log.HighWatermark == 9, "broker 1 catches up with broker 2");
        Assert.Equal(cluster.SegmentBytes(2), cluster.SegmentBytes(1));
        Assert.Equal(cluster.SegmentBytes(2), cluster.SegmentBytes(3));
        Assert.Equal(2, oldLeader.Log.LatestEpoch);
    }

    [Fact]
    public async Task A_follower_drops_an_epoch_it_started_as_leader_without_writing_and_rejoins_the_isr()
    {
        await using var cluster = await StartWithFiveSharedRecordsAsync();

        // Broker 1 alone hears that it leads epoch 2: it starts the epoch at offset 5 and writes nothing in it,
        // as a restarted broker does while it replays a metadata log that has moved on.
        cluster.Elect(1, [1, 2, 3], [1]);
        var broker1 = cluster.PartitionOn(1);
        Assert.Equal(2, broker1.Log.LatestEpoch);

        // Broker 2 leads epoch 3, which starts at offset 5 too; it never had epoch 2, so broker 1's fetches diverge
        // at epoch 2 until broker 1 drops that empty epoch.
        cluster.Elect(2, [2, 3], [1, 2, 3]);
        using (var producer = new ProducerBuilder<Null, string>(cluster.Producer(2)).Build())
        {
            for (var i = 0; i < 4; i++)
            {
                await producer.ProduceAsync(Topic, new Message<Null, string> { Value = "epoch-3-" + i });
            }
        }

        await EventuallyAsync(() => broker1.Log.LogEndOffset == 9 && cluster.State.Isr.Contains(1), "broker 1 catches up and rejoins the ISR");
        Assert.Equal(3, broker1.Log.LatestEpoch);
        Assert.Equal(cluster.SegmentBytes(2), cluster.SegmentBytes(1));
    }

    /// <summary>Three brokers, broker 1 leading epoch 1, and five records every replica holds.</summary>
    private static async Task<ReplicatedCluster> StartWithFiveSharedRecordsAsync()
    {
        var cluster = await ReplicatedCluster.StartAsync(3, Settings);
        try
        {
            await cluster.CreateTopicAsync(leader: 1);
            using (var producer = new ProducerBuilder<Null, string>(cluster.Producer(1)).Build())
            {
                for (var i = 0; i < 5; i++)
                {
                    await producer.ProduceAsync(Topic, new Message<Null, string> { Value = "shared-" + i });
                }
            }
            await EventuallyAsync(() => cluster.PartitionOn(2).Log.LogEndOffset == 5 && cluster.PartitionOn(3).Log.LogEndOffset == 5, "both followers have the records");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }
}
