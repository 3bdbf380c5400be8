using Freshet.Metadata.Controller;
using Freshet.Metadata.Image;
using Freshet.Metadata.Tests.Quorum;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Tests.Controller;

/// <summary>
/// A real controller quorum of N nodes with a QuorumController on each, plus helpers that play the
/// brokers' side: register, heartbeat until unfenced.
/// </summary>
internal sealed class ControllerCluster : IAsyncDisposable
{
    public const int SessionTimeoutMs = 9000;

    private readonly QuorumHarness _quorum;
    private readonly Func<QuorumControllerOptions> _options;
    private readonly Dictionary<int, QuorumController> _controllers = [];

    private ControllerCluster(int nodes, Func<QuorumControllerOptions> options)
    {
        _quorum = new QuorumHarness(nodes);
        _options = options;
    }

    public ManualClock Clock { get; } = new();

    /// <summary>Broker epochs by broker id, as the last registration answered them.</summary>
    public Dictionary<int, long> Epochs { get; } = [];

    public IReadOnlyCollection<QuorumController> Controllers => _controllers.Values;

    public static async Task<ControllerCluster> StartAsync(int nodes, Func<ManualClock, QuorumControllerOptions>? options = null)
    {
        ControllerCluster? cluster = null;
        cluster = new ControllerCluster(nodes, () => options?.Invoke(cluster!.Clock) ?? Defaults(cluster!.Clock));
        foreach (var voter in cluster._quorum.Voters)
            await cluster.StartNodeAsync(voter.Id);
        return cluster;
    }

    /// <summary>Long periodic intervals: tests drive fencing and rebalancing themselves unless they say otherwise.</summary>
    public static QuorumControllerOptions Defaults(ManualClock clock) => new()
    {
        Time = clock,
        Random = new Random(42),
        BrokerSessionTimeoutMs = SessionTimeoutMs,
        SessionCheckIntervalMs = 3_600_000,
        LeaderImbalanceCheckIntervalMs = 3_600_000,
    };

    public async Task StartNodeAsync(int id)
    {
        var quorum = await _quorum.StartAsync(id);
        _controllers[id] = new QuorumController(quorum, _options());
    }

    public async Task StopNodeAsync(int id)
    {
        if (_controllers.Remove(id, out var controller))
            await controller.DisposeAsync();
        await _quorum.StopAsync(id);
    }

    public async Task<QuorumController> ActiveAsync()
    {
        var leader = await _quorum.WaitForLeaderAsync();
        return _controllers[leader.NodeId];
    }

    public async Task<long> RegisterAsync(int brokerId, string? rack = null, KafkaUuid? incarnation = null)
    {
        var active = await ActiveAsync();
        var reply = await active.RegisterBrokerAsync(new BrokerRegistrationSpec(
            brokerId, incarnation ?? KafkaUuid.NewRandom(), [new BrokerEndpoint("PLAINTEXT", "localhost", 9000 + brokerId, 0)], rack));
        Assert.Equal(ErrorCode.None, reply.Error);
        Epochs[brokerId] = reply.BrokerEpoch;
        return reply.BrokerEpoch;
    }

    /// <summary>Heartbeats as a broker that has applied everything the active controller has.</summary>
    public async Task<BrokerHeartbeatReply> HeartbeatAsync(int brokerId, bool wantShutDown = false)
    {
        var active = await ActiveAsync();
        return await active.HeartbeatAsync(new BrokerHeartbeat(brokerId, Epochs[brokerId], active.Image.Offset, WantShutDown: wantShutDown));
    }

    /// <summary>Registers and unfences each broker.</summary>
    public async Task AddBrokersAsync(params int[] ids)
    {
        foreach (var id in ids)
        {
            await RegisterAsync(id, rack: null);
            var reply = await HeartbeatAsync(id);
            Assert.Equal(ErrorCode.None, reply.Error);
            Assert.False(reply.IsFenced);
        }
    }

    public async Task<PartitionImage> PartitionAsync(string topic, int partition) =>
        (await ActiveAsync()).Image.Partition(topic, partition) ?? throw new InvalidOperationException($"No partition {topic}-{partition}.");

    public async ValueTask DisposeAsync()
    {
        foreach (var controller in _controllers.Values)
            await controller.DisposeAsync();
        _controllers.Clear();
        await _quorum.DisposeAsync();
    }
}
