using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Protocol.Messages;

namespace Freshet.IntegrationTests.Infrastructure;

/// <summary>
/// A cluster of real <c>freshet serve</c> processes on loopback, each a broker and a controller quorum voter, or
/// dedicated controllers (node ids 1..K) and broker-only nodes (the ids after), with
/// free ports and a temporary data directory per node. Nodes can be killed (SIGKILL), paused (SIGSTOP), resumed and
/// restarted on the same ports and data. Dispose kills whatever still runs, so a failing test leaves no process.
/// </summary>
public sealed class FreshetCluster : IAsyncDisposable
{
    /// <summary>
    /// Timeouts tuned down so that failures are noticed in about two seconds instead of Kafka's defaults (9 s session,
    /// 30 s replica lag): brokers heartbeat every 250 ms and are fenced after 2 s, a follower leaves the ISR after 3 s
    /// behind, and a controller election starts after 400-800 ms without a leader.
    /// </summary>
    public static readonly string[] FastFailover =
    [
        "broker.session.timeout.ms=2000",
        "broker.heartbeat.interval.ms=250",
        "replica.lag.time.max.ms=3000",
        "controller.quorum.election.timeout.ms=400",
        "controller.quorum.request.timeout.ms=1000",
    ];

    private readonly TempDirectory _data;
    private readonly FreshetServer?[] _nodes;

    /// <summary>How many of the first nodes are dedicated controllers (0 in a combined cluster).</summary>
    private readonly int _controllers;

    private FreshetCluster(TempDirectory data, FreshetServer?[] nodes, int controllers = 0)
    {
        _data = data;
        _nodes = nodes;
        _controllers = controllers;
        var bootstrap = new List<string>();
        for (var i = controllers; i < nodes.Length; i++)
            bootstrap.Add(nodes[i]!.BootstrapServers);
        BootstrapServers = string.Join(',', bootstrap);
    }

    /// <summary>Every broker's client address, so clients find a live one whichever nodes are down.</summary>
    public string BootstrapServers { get; }

    /// <summary>Node ids run from 1 to <see cref="Size"/>.</summary>
    public int Size => _nodes.Length;

    /// <summary>The nodes that are brokers: all of a combined cluster, the ones after the controllers otherwise.</summary>
    public int BrokerCount => _nodes.Length - _controllers;

    /// <summary>The node ids of the dedicated controllers (none in a combined cluster).</summary>
    public IEnumerable<int> ControllerIds => Enumerable.Range(1, _controllers);

    /// <summary>The node ids of the brokers.</summary>
    public IEnumerable<int> BrokerIds => Enumerable.Range(_controllers + 1, BrokerCount);

    public string DataDirectory => _data.Path;

    /// <param name="overrides">Broker properties given to every node, after the per-node ones.</param>
    public static Task<FreshetCluster> StartAsync(int nodes, params string[] overrides) => StartAsync(nodes, new ClusterLayout(), overrides);

    /// <param name="layout">Where the nodes run, and what each node gets besides the shared overrides.</param>
    /// <param name="overrides">Broker properties given to every node, after the per-node ones.</param>
    public static async Task<FreshetCluster> StartAsync(int nodes, ClusterLayout layout, params string[] overrides)
    {
        var data = new TempDirectory();
        var addresses = new NodeAddress[nodes];
        var voters = new string[nodes];
        for (var i = 0; i < nodes; i++)
        {
            addresses[i] = layout.Network.Address(i + 1);
            voters[i] = $"{i + 1}@{addresses[i].Host}:{addresses[i].ControllerPort}";
        }

        var starts = new Task<FreshetServer>[nodes];
        for (var i = 0; i < nodes; i++)
        {
            var id = (i + 1).ToString(CultureInfo.InvariantCulture);
            var settings = new List<string>
            {
                "node.id=" + id,
                "process.roles=broker,controller",
                "controller.quorum.voters=" + string.Join(',', voters),
            };
            settings.AddRange(layout.NodeOverrides(i + 1));
            settings.AddRange(overrides);
            var dir = Path.Combine(data.Path, "node-" + id);
            Directory.CreateDirectory(dir);
            var (host, kafkaPort, controllerPort) = addresses[i];
            var launch = new ServerLaunch(host, layout.Network.LaunchPrefix(i + 1), layout.ServeArguments);
            starts[i] = FreshetServer.StartWithListenersAsync(
                dir, kafkaPort, $"PLAINTEXT://{host}:{kafkaPort},CONTROLLER://{host}:{controllerPort}", [.. settings], launch);
        }

        return new FreshetCluster(data, await AwaitAllAsync(starts, data));
    }

    /// <summary>
    /// <paramref name="controllers"/> dedicated controllers (process.roles=controller, ids 1..K) and
    /// <paramref name="brokers"/> broker-only nodes (process.roles=broker, the next ids), which follow the controllers'
    /// metadata log through <c>controller.quorum.bootstrap.servers</c>, the controllers' PLAINTEXT listeners.
    /// </summary>
    public static Task<FreshetCluster> StartDedicatedAsync(int controllers, int brokers, params string[] overrides) =>
        StartWithBrokerOnlyNodesAsync(controllers, combined: false, brokers, overrides);

    /// <summary>
    /// <paramref name="combined"/> combined nodes (process.roles=broker,controller, ids 1..K), which form the quorum and
    /// host partitions, and <paramref name="brokers"/> broker-only nodes (the next ids) that follow the metadata log
    /// through the combined nodes' PLAINTEXT listeners.
    /// </summary>
    public static Task<FreshetCluster> StartMixedAsync(int combined, int brokers, params string[] overrides) =>
        StartWithBrokerOnlyNodesAsync(combined, combined: true, brokers, overrides);

    private static async Task<FreshetCluster> StartWithBrokerOnlyNodesAsync(int controllers, bool combined, int brokers, string[] overrides)
    {
        var data = new TempDirectory();
        var nodes = controllers + brokers;
        var kafkaPorts = new int[nodes];
        var voters = new string[controllers];
        var controllerListeners = new string[controllers];
        var raftPorts = new int[controllers];
        for (var i = 0; i < nodes; i++)
            kafkaPorts[i] = FreshetServer.FreePort();
        for (var i = 0; i < controllers; i++)
        {
            raftPorts[i] = FreshetServer.FreePort();
            voters[i] = $"{i + 1}@127.0.0.1:{raftPorts[i]}";
            controllerListeners[i] = $"127.0.0.1:{kafkaPorts[i]}";
        }

        var starts = new Task<FreshetServer>[nodes];
        for (var i = 0; i < nodes; i++)
        {
            var id = (i + 1).ToString(CultureInfo.InvariantCulture);
            var controller = i < controllers;
            var settings = new List<string>
            {
                "node.id=" + id,
                !controller ? "process.roles=broker" : combined ? "process.roles=broker,controller" : "process.roles=controller",
                "controller.quorum.voters=" + string.Join(',', voters),
            };
            if (!controller)
                settings.Add("controller.quorum.bootstrap.servers=" + string.Join(',', controllerListeners));
            settings.AddRange(overrides);
            var dir = Path.Combine(data.Path, "node-" + id);
            Directory.CreateDirectory(dir);
            var listeners = controller
                ? $"PLAINTEXT://127.0.0.1:{kafkaPorts[i]},CONTROLLER://127.0.0.1:{raftPorts[i]}"
                : $"PLAINTEXT://127.0.0.1:{kafkaPorts[i]}";
            starts[i] = FreshetServer.StartWithListenersAsync(dir, kafkaPorts[i], listeners, [.. settings]);
        }
        return new FreshetCluster(data, await AwaitAllAsync(starts, data), combined ? 0 : controllers);
    }

    private static async Task<FreshetServer?[]> AwaitAllAsync(Task<FreshetServer>[] starts, TempDirectory data)
    {
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var start in starts)
            {
                if (start.IsCompletedSuccessfully)
                    await start.Result.KillAsync();
            }
            data.Dispose();
            throw;
        }
        var servers = new FreshetServer?[starts.Length];
        for (var i = 0; i < starts.Length; i++)
            servers[i] = starts[i].Result;
        return servers;
    }

    public FreshetServer Node(int nodeId) => _nodes[nodeId - 1] ?? throw new ObjectDisposedException(nameof(FreshetCluster));

    public string NodeDataDirectory(int nodeId) => Path.Combine(_data.Path, "node-" + nodeId.ToString(CultureInfo.InvariantCulture));

    /// <summary>The client addresses of the brokers whose process runs, for clients that must not wait on a dead one.</summary>
    public string RunningBootstrapServers()
    {
        var running = new List<string>();
        for (var i = _controllers; i < _nodes.Length; i++)
        {
            if (_nodes[i] is { HasExited: false } node)
                running.Add(node.BootstrapServers);
        }
        return string.Join(',', running);
    }

    public Task KillAsync(int nodeId) => Node(nodeId).KillAsync();

    public Task RestartAsync(int nodeId) => Node(nodeId).RestartAsync();

    /// <summary>Stops every running node in order (SIGTERM), keeping the data, e.g. to read the segment files.</summary>
    public async Task StopAllAsync()
    {
        for (var id = 1; id <= Size; id++)
            await Node(id).StopAsync();
    }

    public Task PauseAsync(int nodeId) => Node(nodeId).PauseAsync();

    public Task ResumeAsync(int nodeId) => Node(nodeId).ResumeAsync();

    /// <summary>Cluster metadata as one running node answers it, or null when none answers in time.</summary>
    public Confluent.Kafka.Metadata? Metadata(string? topic, TimeSpan timeout)
    {
        var bootstrap = RunningBootstrapServers();
        if (bootstrap.Length == 0)
            return null;
        using var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = bootstrap,
            SocketTimeoutMs = (int)timeout.TotalMilliseconds,
        }).Build();
        try
        {
            return topic is null ? admin.GetMetadata(timeout) : admin.GetMetadata(topic, timeout);
        }
        catch (KafkaException)
        {
            return null;
        }
    }

    /// <summary>The leader of a partition as the metadata says, or -1 when it has none (or nobody answers).</summary>
    public int NodeLeading(string topic, int partition)
    {
        var partitionMetadata = PartitionMetadata(topic, partition);
        return partitionMetadata is null || partitionMetadata.Error.IsError && partitionMetadata.Leader < 0 ? -1 : partitionMetadata.Leader;
    }

    /// <summary>The in-sync replicas of a partition as the metadata says, or null when nobody answers.</summary>
    public int[]? InSyncReplicas(string topic, int partition) => PartitionMetadata(topic, partition)?.InSyncReplicas;

    /// <summary>
    /// Each running broker's own view of a topic's partitions (leader, leader epoch, ISR), asked of each node alone
    /// over the wire: when a wait on the metadata fails, it shows which node saw what.
    /// </summary>
    public async Task<string> PartitionViewsAsync(string topic)
    {
        var views = new System.Text.StringBuilder();
        for (var i = _controllers; i < _nodes.Length; i++)
        {
            if (_nodes[i] is not { HasExited: false } node)
                continue;
            views.Append(CultureInfo.InvariantCulture, $"node {i + 1}:");
            try
            {
                using var connection = await RawConnection.ConnectAsync(node.BootstrapServers);
                await connection.SendAsync(new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = topic }] }, 9);
                var (_, metadata) = await connection.ReadResponseAsync<MetadataResponse>(ApiKey.Metadata, 9).WaitAsync(TimeSpan.FromSeconds(5));
                foreach (var t in metadata.Topics)
                {
                    foreach (var p in t.Partitions.OrderBy(p => p.PartitionIndex))
                        views.Append(CultureInfo.InvariantCulture, $" p{p.PartitionIndex} leader {p.LeaderId} epoch {p.LeaderEpoch} isr [{string.Join(',', p.IsrNodes)}];");
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                views.Append(" no answer (").Append(e.Message).Append(')');
            }
            views.AppendLine();
        }
        return views.ToString();
    }

    /// <summary>The controller DescribeCluster names (in a combined cluster, the quorum's leader), or -1 when unknown.</summary>
    public async Task<int> ActiveControllerAsync()
    {
        var bootstrap = RunningBootstrapServers();
        if (bootstrap.Length == 0)
            return -1;
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        try
        {
            var cluster = await admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = TimeSpan.FromSeconds(5) });
            return cluster.Controller?.Id ?? -1;
        }
        catch (KafkaException)
        {
            return -1;
        }
    }

    /// <summary>
    /// The active controller of a dedicated-controller cluster as a running controller names it on the wire (the
    /// CurrentLeader of a metadata-log Fetch, what broker-only nodes read), or -1 when none answers with one.
    /// </summary>
    public Task<int> ActiveDedicatedControllerAsync() => QuorumLeaderAsync(ControllerIds);

    /// <summary>
    /// The quorum's leader as the given controller nodes (dedicated or combined) name it on the wire, or -1 when none
    /// answers with one. DescribeCluster cannot tell it in a cluster with broker-only nodes: the client may send it to
    /// one of those, which names itself, as Kafka's brokers name a live broker for admin clients to send to.
    /// </summary>
    public async Task<int> QuorumLeaderAsync(IEnumerable<int> controllerNodes)
    {
        foreach (var id in controllerNodes)
        {
            if (_nodes[id - 1] is not { HasExited: false } node)
                continue;
            try
            {
                using var connection = await RawConnection.ConnectAsync(node.BootstrapServers);
                var request = new FetchRequest
                {
                    MaxWaitMs = 0,
                    Topics =
                    [
                        new FetchRequest.FetchTopic
                        {
                            Topic = "__cluster_metadata",
                            Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = long.MaxValue, PartitionMaxBytes = 1 }],
                        },
                    ],
                };
                await connection.SendAsync(request, 12);
                var (_, response) = await connection.ReadResponseAsync<FetchResponse>(ApiKey.Fetch, 12);
                var leader = response.Responses[0].Partitions[0].CurrentLeader.LeaderId;
                if (leader > 0)
                    return leader;
            }
            catch (IOException)
            {
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        }
        return -1;
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing with <paramref name="what"/> after the deadline.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Not within {deadline.TotalSeconds:0} s: {what}");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until a node reports every broker of the cluster as live.</summary>
    public Task WaitForBrokersAsync(TimeSpan deadline) =>
        WaitUntilAsync(() => Metadata(null, TimeSpan.FromSeconds(3))?.Brokers.Count == BrokerCount, deadline, $"metadata lists {BrokerCount} brokers");

    /// <summary>The active controller once a node names one; a node that is busy or between elections is asked again.</summary>
    public async Task<int> WaitForActiveControllerAsync(TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var controller = await ActiveControllerAsync();
            if (controller > 0)
                return controller;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Not within {deadline.TotalSeconds:0} s: a node names the active controller");
            await Task.Delay(200);
        }
    }

    /// <summary>The cluster's metadata (a topic's, or the brokers' when <paramref name="topic"/> is null) once a node answers.</summary>
    public async Task<Confluent.Kafka.Metadata> WaitForMetadataAsync(string? topic, TimeSpan deadline)
    {
        Confluent.Kafka.Metadata? metadata = null;
        await WaitUntilAsync(() => (metadata = Metadata(topic, TimeSpan.FromSeconds(5))) is not null, deadline, $"a node answers Metadata for {topic ?? "the cluster"}");
        return metadata!;
    }

    /// <summary>Waits until the partition has a leader and returns it.</summary>
    public async Task<int> WaitForLeaderAsync(string topic, int partition, TimeSpan deadline, int notNode = -1)
    {
        var leader = -1;
        await WaitUntilAsync(
            () =>
            {
                leader = NodeLeading(topic, partition);
                return leader > 0 && leader != notNode;
            },
            deadline,
            $"{topic}-{partition} has a leader other than {notNode}");
        return leader;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _nodes.Length; i++)
        {
            var node = _nodes[i];
            if (node is null)
                continue;
            _nodes[i] = null;
            await node.KillAsync();
            KeepOutput(i + 1, node.Output);
            await node.DisposeAsync();
        }
        _data.Dispose();
    }

    /// <summary>
    /// Writes a node's output, restarts included, to the directory FRESHET_CLUSTER_LOGS names, if any: the way to read
    /// what each node logged when a cluster test fails.
    /// </summary>
    private void KeepOutput(int nodeId, string output)
    {
        var directory = Environment.GetEnvironmentVariable("FRESHET_CLUSTER_LOGS");
        if (string.IsNullOrEmpty(directory))
            return;
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, $"{Path.GetFileName(_data.Path)}-node-{nodeId}.log"), output);
    }

    private PartitionMetadata? PartitionMetadata(string topic, int partition)
    {
        var metadata = Metadata(topic, TimeSpan.FromSeconds(3));
        if (metadata is null)
            return null;
        foreach (var t in metadata.Topics)
        {
            if (t.Topic != topic)
                continue;
            foreach (var p in t.Partitions)
            {
                if (p.PartitionId == partition)
                    return p;
            }
        }
        return null;
    }
}
