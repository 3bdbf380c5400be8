using Freshet.Broker.Configuration;
using Freshet.Broker.Handlers;
using Freshet.Broker.Hosting;
using Freshet.Broker.Producers;
using Freshet.Broker.Replication;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Metadata.Controller;
using Freshet.Metadata.Image;
using Freshet.Metadata.Log;
using Freshet.Metadata.Quorum;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Cluster;

/// <summary>
/// This node's part in the cluster, by its process.roles. A controller has its seat in the controller quorum and
/// the controller logic that acts while it leads the quorum; a broker-only node instead follows the controllers'
/// committed metadata log (<see cref="MetadataFetcher"/>). Every node applies each metadata image through the
/// publisher; a broker also registers and heartbeats. Started before the listener opens and stopped after it closes.
/// </summary>
internal sealed class ClusterServices : IAsyncDisposable
{
    // Kafka's controlled.shutdown.max.retries × retry backoff is in this range; a clean stop should not wait longer.
    private static readonly TimeSpan ControlledShutdownTimeout = TimeSpan.FromSeconds(10);

    // A lone node registers with itself; if that has not happened by then something is badly wrong.
    private static readonly TimeSpan SingleNodeReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly bool _singleNode;

    private ClusterServices(
        IMetadataSource metadata, ControllerQuorum? quorum, QuorumController? controller, MetadataFetcher? fetcher, MetadataPublisher publisher,
        ControllerChannel channel, ControllerApis? apis, BrokerLifecycle? lifecycle, ProducerIdManager? producerIds, ImageBrokerDirectory directory, bool singleNode)
    {
        Metadata = metadata;
        Quorum = quorum;
        Controller = controller;
        _fetcher = fetcher;
        Publisher = publisher;
        Channel = channel;
        Apis = apis;
        Lifecycle = lifecycle;
        _producerIds = producerIds;
        Directory = directory;
        _singleNode = singleNode;
    }

    private readonly MetadataFetcher? _fetcher;
    private readonly ProducerIdManager? _producerIds;

    /// <summary>Where this node's metadata images come from: its quorum, or the log it fetches.</summary>
    public IMetadataSource Metadata { get; }

    /// <summary>This node's seat in the controller quorum; null on a broker-only node.</summary>
    public ControllerQuorum? Quorum { get; }

    /// <summary>The controller logic; null on a broker-only node.</summary>
    public QuorumController? Controller { get; }

    public MetadataPublisher Publisher { get; }

    public ControllerChannel Channel { get; }

    /// <summary>The controller APIs of this node's controller; null on a broker-only node.</summary>
    public ControllerApis? Apis { get; }

    /// <summary>Registration and heartbeats; null on a dedicated controller, which is no broker.</summary>
    public BrokerLifecycle? Lifecycle { get; }

    public ProducerIdManager ProducerIds => _producerIds ?? throw new InvalidOperationException("A dedicated controller allocates no producer ids.");

    public ImageBrokerDirectory Directory { get; }

    /// <summary>
    /// The controller id Metadata and DescribeCluster give clients. Clients send admin requests there, so it must be
    /// a broker they can reach: a combined node names the active controller; a broker-only node names itself and
    /// forwards, as Kafka's brokers name a broker rather than a controller clients cannot reach.
    /// </summary>
    public int ControllerIdForClients(int localBrokerId) => Quorum is not null ? Quorum.LeaderId ?? -1 : localBrokerId;

    /// <summary>
    /// Takes this node's seat in the quorum (a controller; <paramref name="quorumStart"/> is its start, begun by the
    /// caller so that it overlaps the loading of the logs) or prepares to follow it (a broker-only node); nothing is
    /// applied or sent until <see cref="StartAsync"/>. The quorum is stopped here if anything after its start fails.
    /// </summary>
    public static async Task<ClusterServices> CreateAsync(
        BrokerOptions options, ControllerQuorumOptions? quorumOptions, Task<ControllerQuorum>? quorumStart, BrokerNode node, TopicCatalog catalog,
        ReplicaManager replicas, ILoggerFactory loggerFactory, ILogger logger)
    {
        if (quorumOptions is null || quorumStart is null)
        {
            return CreateBrokerOnly(options, node, catalog, replicas, logger);
        }
        var quorum = await quorumStart.ConfigureAwait(false);
        QuorumController? controller = null;
        var handedOver = false;
        try
        {
            controller = new QuorumController(quorum, new QuorumControllerOptions
            {
                BrokerSessionTimeoutMs = options.BrokerSessionTimeoutMs,
                BrokerHeartbeatIntervalMs = options.BrokerHeartbeatIntervalMs,
                UncleanLeaderElectionEnable = options.UncleanLeaderElectionEnable,
                AutoLeaderRebalanceEnable = options.AutoLeaderRebalanceEnable,
                LeaderImbalanceCheckIntervalMs = options.LeaderImbalanceCheckIntervalSeconds * 1000,
                LeaderImbalancePerBrokerPercentage = options.LeaderImbalancePerBrokerPercentage,
                CoLocatedBrokerId = options.IsBroker && quorumOptions.Voters.Count == 1 ? options.NodeId : null,
            }, loggerFactory);
            var directory = new ImageBrokerDirectory(options.NodeId, catalog);
            var apis = new ControllerApis(controller, node.ClusterId);
            var publisher = new MetadataPublisher(quorum, catalog, replicas, options, logger);
            ClusterServices services;
            if (options.IsBroker)
            {
                var channel = new ControllerChannel(new QuorumControllerLocator(quorum, directory), mayForward: true, logger);
                var (lifecycle, producerIds) = BrokerParts(options, node, replicas, directory, channel, apis, publisher, logger);
                services = new ClusterServices(quorum, quorum, controller, null, publisher, channel, apis, lifecycle, producerIds, directory, quorumOptions.Voters.Count == 1);
            }
            else
            {
                // A dedicated controller runs what it is sent or answers NOT_CONTROLLER; it never forwards.
                var channel = new ControllerChannel(new QuorumControllerLocator(quorum, brokers: null), mayForward: false, logger);
                services = new ClusterServices(quorum, quorum, controller, null, publisher, channel, apis, null, null, directory, singleNode: false);
            }
            handedOver = true;
            return services;
        }
        catch when (!handedOver)
        {
            if (controller is not null)
            {
                await controller.DisposeAsync().ConfigureAwait(false);
            }
            await quorum.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static ClusterServices CreateBrokerOnly(BrokerOptions options, BrokerNode node, TopicCatalog catalog, ReplicaManager replicas, ILogger logger)
    {
        var controllers = RoleSettings.BootstrapServers(options);
        var metadata = new ObservedMetadata(options.NodeId);
        var fetcher = new MetadataFetcher(metadata, controllers, node.ClusterId, logger);
        var directory = new ImageBrokerDirectory(options.NodeId, catalog);
        var channel = new ControllerChannel(new BootstrapControllerLocator(controllers), mayForward: true, logger);
        var publisher = new MetadataPublisher(metadata, catalog, replicas, options, logger);
        var (lifecycle, producerIds) = BrokerParts(options, node, replicas, directory, channel, null, publisher, logger);
        return new ClusterServices(metadata, null, null, fetcher, publisher, channel, null, lifecycle, producerIds, directory, singleNode: false);
    }

    private static (BrokerLifecycle, ProducerIdManager) BrokerParts(
        BrokerOptions options, BrokerNode node, ReplicaManager replicas, ImageBrokerDirectory directory, ControllerChannel channel, ControllerApis? apis,
        MetadataPublisher publisher, ILogger logger)
    {
        var listener = new BrokerRegistrationRequest.Listener { Name = ListenerAddress.Plaintext, Host = node.Host, Port = (ushort)node.Port, SecurityProtocol = 0 };
        var lifecycle = new BrokerLifecycle(channel, apis, publisher, options, node.ClusterId, () => listener, logger);
        var producerIds = new ProducerIdManager(ct => AllocateAsync(channel, apis, options.NodeId, lifecycle, ct));
        replicas.UseCluster(directory, new ControllerAlterPartitionChannel(channel, apis, () => lifecycle.BrokerEpoch, options.NodeId));
        return (lifecycle, producerIds);
    }

    /// <summary>
    /// Applies the metadata image to the broker, starts registration and heartbeats, and waits until the controller
    /// has unfenced this broker, which it does once the broker has applied the metadata log up to its registration:
    /// a broker that answered clients before that would describe a cluster from the past (a restarted node's image
    /// starts empty). Kafka's brokers wait for the same before they serve. Alone, a node is its own controller and
    /// this takes milliseconds; in a cluster it waits for a quorum, as long as that takes.
    /// </summary>
    public async Task StartAsync(StartupTimeline timeline, CancellationToken cancellationToken)
    {
        if (Quorum is not null)
        {
            _ = MarkWhenAsync(Quorum.TryWaitForLeaderAsync(SingleNodeReadyTimeout, cancellationToken), timeline, "leader known");
        }
        if (Lifecycle is not null)
        {
            _ = MarkWhenAsync(Lifecycle.WaitUntilRegisteredAsync(cancellationToken), timeline, "registered");
        }
        Publisher.Start();
        _fetcher?.Start();
        if (Lifecycle is null)
        {
            return;
        }
        Lifecycle.Start();
        using var ready = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_singleNode)
        {
            ready.CancelAfter(SingleNodeReadyTimeout);
        }
        await Lifecycle.WaitUntilUnfencedAsync(ready.Token).ConfigureAwait(false);
        timeline.Mark("unfenced");
        if (_singleNode)
        {
            // Alone, this broker is unfenced by the entry that registers it, before its publisher has necessarily
            // applied that entry: until it has, the applied image is the one the restart replayed, with the previous
            // registration's listener and leader epochs. Once it has, the partitions it leads are known and the
            // coordinators have heard of their leaderships and begun loading.
            var lifecycle = Lifecycle;
            await Publisher.WaitUntilAsync(
                () => HasApplied(Publisher.Applied, lifecycle) && !HasLeaderlessPartition(Publisher.Applied), SingleNodeReadyTimeout, ready.Token).ConfigureAwait(false);
            timeline.Mark("partitions led");
        }
    }

    private static async Task MarkWhenAsync(Task phase, StartupTimeline timeline, string name)
    {
        try
        {
            await phase.ConfigureAwait(false);
            timeline.Mark(name);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }
    }

    /// <summary>True once <paramref name="image"/> holds this broker's current registration, unfenced.</summary>
    private static bool HasApplied(MetadataImage image, BrokerLifecycle lifecycle) =>
        image.Brokers.TryGetValue(lifecycle.BrokerId, out var broker) && broker.Epoch == lifecycle.BrokerEpoch && !broker.Fenced;

    private static bool HasLeaderlessPartition(MetadataImage image)
    {
        foreach (var topic in image.TopicsById.Values)
        {
            foreach (var partition in topic.Partitions.Values)
            {
                if (partition.Leader == PartitionImage.NoLeader)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>The handlers of the requests brokers send the active controller.</summary>
    public IEnumerable<IApiHandler> Handlers()
    {
        if (Apis is null)
        {
            yield break;
        }
        yield return new ControllerRequestHandler<BrokerRegistrationRequest, BrokerRegistrationResponse>(
            ApiKey.BrokerRegistration, Apis, (c, r, ct) => c.RegisterBrokerAsync(r, ct), e => new BrokerRegistrationResponse { ErrorCode = (short)e });
        yield return new ControllerRequestHandler<BrokerHeartbeatRequest, BrokerHeartbeatResponse>(
            ApiKey.BrokerHeartbeat, Apis, (c, r, ct) => c.HeartbeatAsync(r, ct), e => new BrokerHeartbeatResponse { ErrorCode = (short)e });
        yield return new ControllerRequestHandler<AlterPartitionRequest, AlterPartitionResponse>(
            ApiKey.AlterPartition, Apis, (c, r, ct) => c.AlterPartitionAsync(r, ct), e => new AlterPartitionResponse { ErrorCode = (short)e });
        yield return new ControllerRequestHandler<AllocateProducerIdsRequest, AllocateProducerIdsResponse>(
            ApiKey.AllocateProducerIds, Apis, (c, r, ct) => c.AllocateProducerIdsAsync(r, ct), e => new AllocateProducerIdsResponse { ErrorCode = (short)e });
    }

    /// <summary>Moves this broker's leaderships to others before it stops; a lone node has nowhere to move them.</summary>
    public Task ControlledShutdownAsync() =>
        _singleNode || Lifecycle is null ? Task.CompletedTask : Lifecycle.ControlledShutdownAsync(ControlledShutdownTimeout);

    private static async Task<ProducerIdBlock> AllocateAsync(ControllerChannel channel, ControllerApis? apis, int brokerId, BrokerLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var request = new AllocateProducerIdsRequest { BrokerId = brokerId, BrokerEpoch = lifecycle.BrokerEpoch };
        var response = await channel.SendAsync(
            request, 0, AllocateProducerIdsResponse.Read,
            ct => LocalApis(apis).AllocateProducerIdsAsync(request, ct),
            r => r.ErrorCode == (short)ErrorCode.NotController,
            cancellationToken).ConfigureAwait(false);
        return response.ErrorCode == (short)ErrorCode.None
            ? new ProducerIdBlock(response.ProducerIdStart, response.ProducerIdLen)
            : throw new IOException($"The controller refused a producer id block: {(ErrorCode)response.ErrorCode}.");
    }

    /// <summary>The channel runs a request locally only on a node whose quorum names itself leader, so this node has a controller.</summary>
    public static ControllerApis LocalApis(ControllerApis? apis) =>
        apis ?? throw new InvalidOperationException("A broker-only node has no controller to run a request on.");

    public async ValueTask DisposeAsync()
    {
        if (Lifecycle is not null)
        {
            await Lifecycle.DisposeAsync().ConfigureAwait(false);
        }
        if (_fetcher is not null)
        {
            await _fetcher.DisposeAsync().ConfigureAwait(false);
        }
        await Publisher.DisposeAsync().ConfigureAwait(false);
        await Channel.DisposeAsync().ConfigureAwait(false);
        if (Controller is not null)
        {
            await Controller.DisposeAsync().ConfigureAwait(false);
        }
        if (Quorum is not null)
        {
            await Quorum.DisposeAsync().ConfigureAwait(false);
        }
    }
}
