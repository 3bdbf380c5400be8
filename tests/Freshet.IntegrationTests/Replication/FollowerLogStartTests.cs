using Confluent.Kafka;
using Freshet.Storage;
using static Freshet.IntegrationTests.Replication.ReplicatedCluster;

namespace Freshet.IntegrationTests.Replication;

/// <summary>A follower's log start offset follows the leader's: DeleteRecords on the leader frees the follower's disk too.</summary>
public sealed class FollowerLogStartTests
{
    private const int Records = 20;
    private const long DeleteBefore = 12;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["replica.fetch.backoff.ms"] = "100",
        ["replica.fetch.wait.max.ms"] = "200",
        // About one record batch per segment, so DeleteRecords leaves whole segments below the new start.
        ["log.segment.bytes"] = "200",
        ["log.retention.check.interval.ms"] = "200",
        ["log.segment.delete.delay.ms"] = "0",
    };

    [Fact]
    public async Task DeleteRecords_on_the_leader_moves_the_followers_log_start_and_drops_its_segments_below_it()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(2, Settings);
        await cluster.CreateTopicAsync(leader: 1);
        using (var producer = new ProducerBuilder<Null, string>(cluster.Producer(1)).Build())
        {
            for (var i = 0; i < Records; i++)
                await producer.ProduceAsync(Topic, new Message<Null, string> { Value = "record-" + i });
        }
        var follower = cluster.PartitionOn(2);
        await EventuallyAsync(() => follower.Log.HighWatermark == Records, "the follower has every record");
        Assert.Equal(0, follower.Log.LogStartOffset);
        Assert.True(SegmentsWhollyBelow(cluster, 2, DeleteBefore) > 0, "the follower has segments wholly below the offset to delete before");

        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.Host(1).BootstrapServers }).Build())
        {
            var deleted = Assert.Single(await admin.DeleteRecordsAsync([new TopicPartitionOffset(Topic, 0, DeleteBefore)]));
            Assert.Equal(DeleteBefore, deleted.Offset.Value);
        }

        await EventuallyAsync(() => follower.Log.LogStartOffset == DeleteBefore, "the follower's log start offset follows the leader's");
        await EventuallyAsync(
            () => SegmentsWhollyBelow(cluster, 2, DeleteBefore) == 0,
            "retention drops the follower's segments wholly below its log start");
        Assert.Equal(Records, follower.Log.LogEndOffset);

        // Stopping writes the checkpoints: the follower restarts from the moved start.
        await cluster.StopAsync(2);
        // The checkpoint's text format: version, count, then "topic partition offset" lines.
        var checkpoint = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(cluster.LogDirectory(2))!, LogFileNames.LogStartOffsetCheckpoint));
        Assert.Contains($"{Topic} 0 {DeleteBefore}", checkpoint);
    }

    /// <summary>How many of a broker's live segments of the partition end at or below <paramref name="offset"/> (from the file names).</summary>
    private static int SegmentsWhollyBelow(ReplicatedCluster cluster, int broker, long offset)
    {
        var bases = Directory.GetFiles(cluster.LogDirectory(broker), "*.log")
            .Select(file => long.Parse(Path.GetFileNameWithoutExtension(file), System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToList();
        var count = 0;
        for (var i = 0; i + 1 < bases.Count && bases[i + 1] <= offset; i++)
            count++;
        return count;
    }
}
