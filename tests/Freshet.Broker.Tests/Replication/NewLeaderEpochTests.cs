using Freshet.Broker.Configuration;
using Freshet.Broker.Replication;
using Freshet.Metadata.Image;
using Freshet.Protocol.Primitives;
using Freshet.Storage;
using Freshet.Storage.Epochs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Broker.Tests.Replication;

/// <summary>Many partitions led here at once (a large CreateTopics, a start-up) get their leader epochs recorded on disk.</summary>
public sealed class NewLeaderEpochTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "freshet-epochs-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly LogManager _logs;

    public NewLeaderEpochTests()
    {
        Directory.CreateDirectory(_dir);
        _logs = new LogManager(new LogManagerOptions { LogDirs = [_dir], ClusterId = "test-cluster" }, NullLoggerFactory.Instance);
        _logs.LoadLogs(_ => new LogConfig());
    }

    [Fact]
    public async Task New_partitions_led_here_start_their_epoch_at_offset_zero_in_memory_and_on_disk()
    {
        await using var replicas = new ReplicaManager(_logs, new BrokerOptions { NodeId = 1 });
        var topicId = KafkaUuid.NewRandom();
        var changes = Enumerable.Range(0, 200).Select(p => Change("wide", p, topicId, leaderEpoch: 3)).ToList();

        replicas.ApplyPartitionStates(changes);

        for (var p = 0; p < 200; p++)
        {
            Assert.True(replicas.TryGetPartition(new TopicPartition("wide", p), out var partition));
            Assert.True(partition.IsLeader);
            Assert.Equal(3, partition.LeaderEpoch);
            Assert.Equal([new EpochEntry(3, 0)], partition.Log.LeaderEpochs.Entries);
            Assert.Equal("0\n1\n3 0\n", File.ReadAllText(Path.Combine(partition.Log.Directory, "leader-epoch-checkpoint")));
        }
    }

    [Fact]
    public async Task A_partition_already_led_here_starts_its_next_epoch_at_its_log_end()
    {
        await using var replicas = new ReplicaManager(_logs, new BrokerOptions { NodeId = 1 });
        var topicId = KafkaUuid.NewRandom();
        replicas.ApplyPartitionStates([Change("orders", 0, topicId, leaderEpoch: 0)]);
        Assert.True(replicas.TryGetPartition(new TopicPartition("orders", 0), out var partition));
        partition.AppendAsLeader(Freshet.Protocol.Records.RecordBatchBuilder.Build([new Freshet.Protocol.Records.Record(0, 1_700_000_000_000, null, "v"u8.ToArray())]));

        replicas.ApplyPartitionStates([Change("orders", 0, topicId, leaderEpoch: 1)]);

        Assert.Equal([new EpochEntry(0, 0), new EpochEntry(1, 1)], partition.Log.LeaderEpochs.Entries);
        Assert.Equal("0\n2\n0 0\n1 1\n", File.ReadAllText(Path.Combine(partition.Log.Directory, "leader-epoch-checkpoint")));
    }

    private static PartitionStateChange Change(string topic, int partition, KafkaUuid topicId, int leaderEpoch) =>
        new(new TopicPartition(topic, partition), topicId, new PartitionImage(partition, [1], [1], [], [], 1, leaderEpoch, leaderEpoch), new LogConfig(), 1);

    public void Dispose()
    {
        _logs.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
