using Freshet.Broker.Configuration;
using Freshet.Broker.Handlers;
using Freshet.Broker.Hosting;
using Freshet.Broker.Producers;
using Freshet.Broker.Replication;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Metadata.Controller;
using Freshet.Metadata.Image;
using Freshet.Metadata.Quorum;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Cluster;

/// <summary>
/// This node's part in the cluster: its seat in the controller quorum, the controller logic that acts while it
/// leads the quorum, the publisher that applies each metadata image to the broker, and the broker's registration
/// and heartbeats. Started before the listener opens and stopped after it closes.
/// </summary>
internal sealed class ClusterServices : IAsyncDisposable
{
    // Kafka's controlled.shutdown.max.retries × retry backoff is in this range; a clean stop should not wait longer.
    private static readonly TimeSpan ControlledShutdownTimeout = TimeSpan.FromSeconds(10);

    // A lone node registers with itself; if that has not happened by then something is badly wrong.
    private static readonly TimeSpan SingleNodeReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly bool _singleNode;

    private ClusterServices(
        ControllerQuorum quorum, QuorumController controller, MetadataPublisher publisher, ControllerChannel channel,
        ControllerApis apis, BrokerLifecycle lifecycle, ProducerIdManager producerIds, ImageBrokerDirectory directory, bool singleNode)
    {
        Quorum = quorum;
        Controller = controller;
        Publisher = publisher;
        Channel = channel;
        Apis = apis;
        Lifecycle = lifecycle;
        ProducerIds = producerIds;
        Directory = directory;
        _singleNode = singleNode;
    }

    public ControllerQuorum Quorum { get; }

    public QuorumController Controller { get; }

    public MetadataPublisher Publisher { get; }

    public ControllerChannel Channel { get; }

    public ControllerApis Apis { get; }

    public BrokerLifecycle Lifecycle { get; }

    public ProducerIdManager ProducerIds { get; }

    public ImageBrokerDirectory Directory { get; }

    /// <summary>Joins the quorum and builds the cluster services; nothing is applied or sent until <see cref="StartAsync"/>.</summary>
    public static async Task<ClusterServices> CreateAsync(
        BrokerOptions options, ControllerQuorumOptions quorumOptions, BrokerNode node, TopicCatalog catalog, ReplicaManager replicas,
        ILoggerFactory loggerFactory, ILogger logger, CancellationToken cancellationToken)
    {
        var quorum = await ControllerQuorum.StartAsync(quorumOptions, loggerFactory, cancellationToken).ConfigureAwait(false);
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
            }, loggerFactory);
            var directory = new ImageBrokerDirectory(options.NodeId, catalog);
            var channel = new ControllerChannel(quorum, directory, logger);
            var apis = new ControllerApis(controller, node.ClusterId);
            var publisher = new MetadataPublisher(quorum, catalog, replicas, options, logger);
            var listener = new BrokerRegistrationRequest.Listener { Name = ListenerAddress.Plaintext, Host = node.Host, Port = (ushort)node.Port, SecurityProtocol = 0 };
            var lifecycle = new BrokerLifecycle(channel, apis, publisher, options, node.ClusterId, () => listener, logger);
            var producerIds = new ProducerIdManager(ct => AllocateAsync(channel, apis, options.NodeId, lifecycle, ct));
            replicas.UseCluster(directory, new ControllerAlterPartitionChannel(channel, apis, () => lifecycle.BrokerEpoch, options.NodeId));
            var services = new ClusterServices(quorum, controller, publisher, channel, apis, lifecycle, producerIds, directory, quorumOptions.Voters.Count == 1);
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

    /// <summary>
    /// Applies the metadata image to the broker, starts registration and heartbeats, and waits until the controller
    /// has unfenced this broker, which it does once the broker has applied the metadata log up to its registration:
    /// a broker that answered clients before that would describe a cluster from the past (a restarted node's image
    /// starts empty). Kafka's brokers wait for the same before they serve. Alone, a node is its own controller and
    /// this takes milliseconds; in a cluster it waits for a quorum, as long as that takes.
    /// </summary>
    public async Task StartAsync(StartupTimeline timeline, CancellationToken cancellationToken)
    {
        _ = MarkWhenAsync(Quorum.TryWaitForLeaderAsync(SingleNodeReadyTimeout, cancellationToken), timeline, "leader known");
        _ = MarkWhenAsync(Lifecycle.WaitUntilRegisteredAsync(cancellationToken), timeline, "registered");
        Publisher.Start();
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
            // Unfencing elects this node leader of the partitions its restart left leaderless; once this broker has
            // applied that, the coordinators have heard of their leaderships and begun loading.
            await Publisher.WaitUntilAsync(() => !HasLeaderlessPartition(Publisher.Applied), SingleNodeReadyTimeout, ready.Token).ConfigureAwait(false);
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
        _singleNode ? Task.CompletedTask : Lifecycle.ControlledShutdownAsync(ControlledShutdownTimeout);

    private static async Task<ProducerIdBlock> AllocateAsync(ControllerChannel channel, ControllerApis apis, int brokerId, BrokerLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var request = new AllocateProducerIdsRequest { BrokerId = brokerId, BrokerEpoch = lifecycle.BrokerEpoch };
        var response = await channel.SendAsync(
            request, 0, AllocateProducerIdsResponse.Read,
            ct => apis.AllocateProducerIdsAsync(request, ct),
            r => r.ErrorCode == (short)ErrorCode.NotController,
            cancellationToken).ConfigureAwait(false);
        return response.ErrorCode == (short)ErrorCode.None
            ? new ProducerIdBlock(response.ProducerIdStart, response.ProducerIdLen)
            : throw new IOException($"The controller refused a producer id block: {(ErrorCode)response.ErrorCode}.");
    }

    public async ValueTask DisposeAsync()
    {
        await Lifecycle.DisposeAsync().ConfigureAwait(false);
        await Publisher.DisposeAsync().ConfigureAwait(false);
        await Channel.DisposeAsync().ConfigureAwait(false);
        await Controller.DisposeAsync().ConfigureAwait(false);
        await Quorum.DisposeAsync().ConfigureAwait(false);
    }
}
