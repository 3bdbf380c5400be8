using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Configuration;
using Freshet.Broker.Hosting;
using Freshet.Broker.InterBroker;
using Freshet.Broker.Replication;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Metadata.Image;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Freshet.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using TopicPartition = Freshet.Storage.TopicPartition;
using ErrorCode = Freshet.Protocol.Messages.ErrorCode;

namespace Freshet.IntegrationTests.Replication;

/// <summary>
/// Real brokers in this process, each with its own data directory and port, joined into a cluster by hand: every
/// broker gets the same partition states, as the metadata image would hand them out, and ISR changes go to a
/// stand-in controller that commits them and hands the new state to every running broker.
/// </summary>
internal sealed class ReplicatedCluster : IAsyncDisposable, IAlterPartitionChannel
{
    private readonly Dictionary<int, TempDirectory> _dirs = [];
    private readonly Dictionary<int, BrokerHost> _running = [];
    private readonly Dictionary<int, (string Host, int Port)> _endpoints = [];
    private readonly List<(IReadOnlyList<int> Isr, int LeaderEpoch)> _alterCalls = [];
    private readonly object _lock = new();
    private PartitionImage? _state;
    private KafkaUuid _topicId;

    public const string Topic = "replicated";

    public static TopicPartition Partition0 { get; } = new(Topic, 0);

    public IReadOnlyList<(IReadOnlyList<int> Isr, int LeaderEpoch)> AlterPartitionCalls
    {
        get
        {
            lock (_lock)
            {
                return [.. _alterCalls];
            }
        }
    }

    public PartitionImage State => _state ?? throw new InvalidOperationException("No partition state yet.");

    public static async Task<ReplicatedCluster> StartAsync(int brokers, IDictionary<string, string> settings)
    {
        var cluster = new ReplicatedCluster();
        for (var id = 1; id <= brokers; id++)
        {
            cluster._dirs[id] = new TempDirectory();
            var options = BrokerConfigLoader.Load(
            [
                new("listeners", "PLAINTEXT://127.0.0.1:0"),
                new("log.dirs", cluster._dirs[id].Path),
                new("node.id", id.ToString(CultureInfo.InvariantCulture)),
                .. settings,
            ]);
            var host = await BrokerHost.StartAsync(options, NullLoggerFactory.Instance);
            cluster._running[id] = host;
            cluster._endpoints[id] = ("127.0.0.1", host.BoundEndPoint.Port);
        }
        foreach (var (id, host) in cluster._running)
        {
            host.Replicas.UseCluster(new Directory(cluster, id), cluster);
        }
        return cluster;
    }

    public BrokerHost Host(int id) => _running[id];

    public Broker.Replication.Partition PartitionOn(int id) =>
        _running[id].Replicas.TryGetPartition(Partition0, out var partition) ? partition : throw new InvalidOperationException($"Broker {id} hosts no {Partition0}.");

    /// <summary>Creates the topic in every broker's catalog (one partition), then makes <paramref name="leader"/> its leader over all brokers.</summary>
    public async Task CreateTopicAsync(int leader)
    {
        foreach (var host in _running.Values)
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = host.BootstrapServers }).Build();
            await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = 1, ReplicationFactor = 1 }]);
        }
        _topicId = PartitionOn(leader).TopicId;
        var replicas = _running.Keys.Order().ToArray();
        Publish(new PartitionImage(0, [.. replicas], [.. replicas], [], [], leader, 1, 1), _running.Keys);
    }

    /// <summary>A leader election: a new leader epoch, handed to <paramref name="told"/> only (the others have not heard yet).</summary>
    public void Elect(int leader, int[] isr, IEnumerable<int> told)
    {
        var state = State with { Leader = leader, Isr = [.. isr], LeaderEpoch = State.LeaderEpoch + 1, PartitionEpoch = State.PartitionEpoch + 1 };
        Publish(state, told);
    }

    /// <summary>Hands the current state to a broker that missed it.</summary>
    public void Tell(int broker) => Publish(State, [broker]);

    public async Task StopAsync(int id)
    {
        BrokerHost host;
        lock (_lock)
        {
            host = _running[id];
            _running.Remove(id);
        }
        await host.StopAsync();
    }

    public string LogDirectory(int id) => Path.Combine(_dirs[id].Path, Partition0.DirectoryName);

    /// <summary>The partition's segment bytes on one broker, in offset order.</summary>
    public byte[] SegmentBytes(int id)
    {
        var bytes = new List<byte>();
        foreach (var file in System.IO.Directory.GetFiles(LogDirectory(id), "*.log").Order(StringComparer.Ordinal))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[stream.Length];
            stream.ReadExactly(buffer);
            bytes.AddRange(buffer);
        }
        return [.. bytes];
    }

    public ProducerConfig Producer(int leader, int retries = 2) => new()
    {
        BootstrapServers = _running[leader].BootstrapServers,
        Acks = Acks.All,
        EnableIdempotence = false,
        MessageSendMaxRetries = retries,
        RequestTimeoutMs = 15_000,
        MessageTimeoutMs = 30_000,
    };

    public static async Task EventuallyAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(25);
        }
    }

    Task<AlterPartitionResult> IAlterPartitionChannel.AlterPartitionAsync(
        TopicPartition id, KafkaUuid topicId, int leaderEpoch, int partitionEpoch, IReadOnlyList<int> newIsr, CancellationToken cancellationToken)
    {
        PartitionImage committed;
        lock (_lock)
        {
            _alterCalls.Add((newIsr, leaderEpoch));
            if (leaderEpoch != State.LeaderEpoch)
            {
                return Task.FromResult(AlterPartitionResult.Failed(ErrorCode.FencedLeaderEpoch));
            }
            if (partitionEpoch != State.PartitionEpoch)
            {
                return Task.FromResult(AlterPartitionResult.Failed(ErrorCode.InvalidUpdateVersion));
            }
            committed = State with { Isr = [.. newIsr], PartitionEpoch = State.PartitionEpoch + 1 };
        }
        Publish(committed, RunningIds());
        return Task.FromResult(new AlterPartitionResult(ErrorCode.None, newIsr, committed.LeaderEpoch, committed.PartitionEpoch));
    }

    private int[] RunningIds()
    {
        lock (_lock)
        {
            return [.. _running.Keys];
        }
    }

    private void Publish(PartitionImage state, IEnumerable<int> told)
    {
        List<BrokerHost> hosts = [];
        lock (_lock)
        {
            _state = state;
            foreach (var id in told)
            {
                if (_running.TryGetValue(id, out var host))
                {
                    hosts.Add(host);
                }
            }
        }
        foreach (var host in hosts)
        {
            var config = host.Replicas.LogConfigFor(new Broker.Topics.TopicDefinition(Topic, _topicId, 1, new Dictionary<string, string>()));
            host.Replicas.ApplyPartitionStates([new PartitionStateChange(Partition0, _topicId, state, config, host.Options.MinInsyncReplicas)]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in RunningIds())
        {
            await StopAsync(id);
        }
        foreach (var dir in _dirs.Values)
        {
            dir.Dispose();
        }
    }

    private sealed class Directory(ReplicatedCluster cluster, int localBrokerId) : IBrokerDirectory
    {
        public int LocalBrokerId => localBrokerId;

        public bool TryGetEndpoint(int brokerId, out string host, out int port)
        {
            var found = cluster._endpoints.TryGetValue(brokerId, out var endpoint);
            (host, port) = endpoint;
            host ??= "";
            return found;
        }
    }
}
