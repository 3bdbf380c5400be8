using System.Diagnostics;
using System.Net;
using Freshet.Broker.Cluster;
using Freshet.Broker.Configuration;
using Freshet.Broker.Diagnostics;
using Freshet.Broker.Groups;
using Freshet.Broker.Handlers;
using Freshet.Broker.Network;
using Freshet.Broker.Replication;
using Freshet.Broker.Replication.Selection;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Broker.Transactions;
using Freshet.Metadata.Quorum;
using Freshet.Storage;
using Freshet.Storage.IO;
using Freshet.Storage.Cleaner;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Hosting;

/// <summary>
/// One running broker: storage opened, listener bound, requests served. The executable and
/// the embedded broker both host exactly this, so tests see what production runs.
/// </summary>
public sealed class BrokerHost : IAsyncDisposable
{
    // Kafka's log.flush.offset.checkpoint.interval.ms.
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(60);

    private readonly LogManager _logs;
    private readonly KafkaListener _listener;
    private readonly GroupCoordinator? _groups;
    private readonly TransactionCoordinator? _transactions;
    private readonly ClusterServices _cluster;
    private readonly ClusterTxnMarkerWriter? _markers;
    private readonly Timer _checkpointTimer;
    private readonly Timer _flushTimer;
    private readonly Timer _producerExpiryTimer;
    private readonly RetentionChecker _retention;
    private readonly ILogger _logger;
    private readonly LogCleaner? _cleaner;
    private int _stopped;

    private BrokerHost(
        BrokerOptions options, BrokerNode node, LogManager logs, ReplicaManager replicas, ClusterServices cluster, LogCleaner? cleaner, KafkaListener listener,
        GroupCoordinator? groups, TransactionCoordinator? transactions, ClusterTxnMarkerWriter? markers, ILogger logger)
    {
        Replicas = replicas;
        _cluster = cluster;
        _transactions = transactions;
        _markers = markers;
        _cleaner = cleaner;
        Options = options;
        Node = node;
        _logs = logs;
        _listener = listener;
        _groups = groups;
        _logger = logger;
        _checkpointTimer = new Timer(_ => Checkpoint(), null, CheckpointInterval, CheckpointInterval);
        var flushInterval = FlusherInterval(options.LogFlushSchedulerIntervalMs);
        _flushTimer = new Timer(_ => logs.FlushDirtyLogs(), null, flushInterval, flushInterval);
        var expiryInterval = FlusherInterval(options.ProducerIdExpirationCheckIntervalMs);
        _producerExpiryTimer = new Timer(_ => logs.RemoveExpiredProducers(options.ProducerIdExpirationMs), null, expiryInterval, expiryInterval);
        _retention = new RetentionChecker(logs, options.LogRetentionCheckIntervalMs, logger);
    }

    public BrokerOptions Options { get; }

    internal BrokerNode Node { get; }

    /// <summary>The partitions this broker hosts (for the coordinators and for tests that write as they do).</summary>
    internal ReplicaManager Replicas { get; }

    /// <summary>The quorum, controller and metadata of this node (for tests that look at the cluster's state).</summary>
    internal ClusterServices Cluster => _cluster;

    /// <summary>The address the listener is bound to (the real port when 0 was asked for).</summary>
    public IPEndPoint BoundEndPoint => _listener.BoundEndPoint;

    /// <summary>host:port as advertised to clients.</summary>
    public string BootstrapServers => $"{Node.Host}:{Node.Port}";

    public string ClusterId => Node.ClusterId;

    public static Task<BrokerHost> StartAsync(BrokerOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default) =>
        StartAsync(options, loggerFactory, diskFaults: null, cancellationToken);

    /// <summary>With a faulty-disk switch, so tests can fail a log dir's I/O.</summary>
    public static async Task<BrokerHost> StartAsync(BrokerOptions options, ILoggerFactory loggerFactory, DiskFaults? diskFaults, CancellationToken cancellationToken = default)
    {
        var timeline = new StartupTimeline();
        var logger = loggerFactory.CreateLogger("Freshet.Broker");
        var logDirs = options.LogDirs.Select(Path.GetFullPath).ToList();
        // Checked before anything is opened, so a bad quorum config fails fast and leaves no files behind.
        RoleSettings.Validate(options);
        var quorumOptions = options.IsController ? QuorumSettings.For(options, logDirs[0]) : null;
        var logs = new LogManager(
            new LogManagerOptions
            {
                LogDirs = logDirs,
                DefaultConfig = LogConfigs.For(options, new Dictionary<string, string>()),
                NodeId = options.NodeId,
                ClusterId = QuorumSettings.DefaultClusterId(options),
                DiskFaults = diskFaults,
            },
            loggerFactory);
        KafkaListener? listener = null;
        GroupCoordinator? groups = null;
        TransactionCoordinator? transactions = null;
        ClusterServices? cluster = null;
        ClusterTxnMarkerWriter? markers = null;
        ReplicaManager? replicas = null;
        Task<ControllerQuorum>? quorumStart = null;
        try
        {
            // Bound first, accepting only once started: a controller publishes this address to the other voters.
            var endPoint = new IPEndPoint(await ResolveAsync(options.ListenHost, cancellationToken).ConfigureAwait(false), options.ListenPort);
            listener = new KafkaListener(endPoint, options.SocketRequestMaxBytes, options.MaxConnections, logger);
            var advertisedPort = options.AdvertisedPort ?? listener.BoundEndPoint.Port;
            if (quorumOptions is not null)
            {
                quorumOptions.ClientListener = new ControllerListener(options.NodeId, AdvertisedHost(options), advertisedPort);
                // The quorum starts (replays its log) while the partitions' logs load: neither needs the other, and
                // the metadata log's directory is one the log manager skips.
                quorumStart = Task.Run(() => ControllerQuorum.StartAsync(quorumOptions, loggerFactory, cancellationToken), cancellationToken);
            }

            // Each log keeps the default config until the metadata image gives its topic's overrides.
            logs.LoadLogs(_ => LogConfigs.For(options, new Dictionary<string, string>()));
            timeline.Mark("storage");
            var catalog = new TopicCatalog();
            replicas = new ReplicaManager(logs, options, TimeProvider.System, logger);
            cancellationToken.ThrowIfCancellationRequested();
            var node = new BrokerNode(options.NodeId, AdvertisedHost(options), advertisedPort, logs.ClusterId);

            cluster = await ClusterServices.CreateAsync(options, quorumOptions, quorumStart, node, catalog, replicas, loggerFactory, logger).ConfigureAwait(false);
            timeline.Mark("quorum started");
            var admin = new TopicAdmin(catalog, cluster.Controller, cluster.Channel, cluster.Publisher, options, logger);
            var configAdmin = new TopicConfigAdmin(catalog, cluster.Controller, cluster.Publisher, options, logger);
            var forwarding = new ControllerForwarding(cluster.Channel, cluster.Apis);
            HandlerRegistry? registry = null;
            if (!options.IsBroker)
            {
                await cluster.StartAsync(timeline, cancellationToken).ConfigureAwait(false);
                registry = ControllerNodeHandlers.Registry(node, cluster, catalog, admin, configAdmin, forwarding, options);
            }
            else
            {
                var offsetsTopic = new OffsetsTopic(catalog, admin, replicas, options);
                var transactionTopic = new TransactionStateTopic(catalog, admin, replicas, options);
                groups = new GroupCoordinator(GroupCoordinatorOptions.From(options), new OffsetsTopicStore(offsetsTopic), TimeProvider.System, logger);
                var localMarkers = new LocalTxnMarkerWriter(replicas, groups);
                markers = new ClusterTxnMarkerWriter(localMarkers, cluster.Directory, cluster.Directory, name => catalog.TryGet(name, out _), TxnMarkerRetry.Default);
                var producerIds = cluster.ProducerIds;
                transactions = new TransactionCoordinator(
                    TransactionCoordinatorOptions.From(options), transactionTopic, markers, producerIds.NextProducerId, TimeProvider.System, logger);
                // The coordinators load a partition of their internal topic when this broker comes to lead it, so they
                // listen before the first metadata image is applied. Groups first: markers of transactions completed at
                // load reach their pending offsets.
                replicas.AddLeadershipListener(groups);
                replicas.AddLeadershipListener(transactions);
                await cluster.StartAsync(timeline, cancellationToken).ConfigureAwait(false);
                // Alone, this node now leads every partition: the coordinators are loaded before the listener opens, so no
                // client sees a half-loaded coordinator. In a cluster, loads run as leadership arrives.
                await groups.WhenLoadedAsync().ConfigureAwait(false);
                groups.Start();
                await transactions.WhenLoadedAsync().ConfigureAwait(false);
                transactions.Start();
                timeline.Mark("coordinators loaded");
                registry = new HandlerRegistry(
                [
                    new ProduceHandler(catalog, replicas),
                    new FetchHandler(
                        catalog, replicas, options, new PreferredReadReplicas(ReplicaSelectors.FromName(options.ReplicaSelectorClass), catalog, logger),
                        cluster.Quorum is { } quorum ? new MetadataLogFetchHandler(quorum) : null),
                    new ListOffsetsHandler(replicas),
                    new MetadataHandler(node, () => cluster.ControllerIdForClients(node.NodeId), catalog, admin, options),
                    new DescribeConfigsHandler(catalog, options),
                    new ApiVersionsHandler(() => registry!),
                    new CreateTopicsHandler(admin, options),
                    new DeleteTopicsHandler(catalog, admin),
                    new AlterConfigsHandler(configAdmin, forwarding, options),
                    new IncrementalAlterConfigsHandler(configAdmin, forwarding, options),
                    new DeleteRecordsHandler(replicas),
                    new FindCoordinatorHandler(offsetsTopic, transactionTopic, cluster.Directory, cluster.Directory),
                    new JoinGroupHandler(groups),
                    new SyncGroupHandler(groups),
                    new HeartbeatHandler(groups),
                    new LeaveGroupHandler(groups),
                    new OffsetCommitHandler(groups, replicas),
                    new OffsetFetchHandler(groups),
                    new OffsetDeleteHandler(groups),
                    new DescribeGroupsHandler(groups),
                    new ListGroupsHandler(groups),
                    new DeleteGroupsHandler(groups),
                    new InitProducerIdHandler(producerIds, transactions),
                    new AddPartitionsToTxnHandler(transactions, replicas),
                    new AddOffsetsToTxnHandler(transactions, offsetsTopic),
                    new EndTxnHandler(transactions),
                    new WriteTxnMarkersHandler(localMarkers),
                    new TxnOffsetCommitHandler(groups, replicas),
                    new DescribeTransactionsHandler(transactions),
                    new ListTransactionsHandler(transactions),
                    new DescribeProducersHandler(replicas),
                    new OffsetForLeaderEpochHandler(replicas),
                    new DescribeClusterHandler(node, () => cluster.ControllerIdForClients(node.NodeId), catalog),
                    new ElectLeadersHandler(cluster.Controller, forwarding),
                    new CreatePartitionsHandler(catalog, cluster.Controller, forwarding, cluster.Publisher),
                    new AlterPartitionReassignmentsHandler(cluster.Controller, forwarding),
                    new ListPartitionReassignmentsHandler(cluster.Controller, forwarding),
                    .. cluster.Handlers(),
                    .. cluster.Quorum is { } seat ? [new FetchSnapshotHandler(seat, node.ClusterId)] : Array.Empty<IApiHandler>(),
                ]);
            }
            listener.Start(new RequestDispatcher(registry, logger));
            timeline.Mark("listening");

            var cleaner = options.LogCleanerEnable && options.LogCleanerThreads > 0
                ? new LogCleaner(
                    logs,
                    new LogCleanerOptions
                    {
                        Threads = options.LogCleanerThreads,
                        BackoffMs = options.LogCleanerBackoffMs,
                        DedupeBufferSize = options.LogCleanerDedupeBufferSize,
                    },
                    loggerFactory,
                    TimeProvider.System)
                : null;
            cleaner?.Start();
            var host = new BrokerHost(options, node, logs, replicas, cluster, cleaner, listener, groups, transactions, markers, logger);
            BrokerLog.Listening(logger, listener.BoundEndPoint, host.BootstrapServers);
            BrokerLog.Started(logger, node.NodeId, node.ClusterId, timeline.ElapsedMs, catalog.Count, replicas.PartitionCount);
            BrokerLog.StartupPhases(logger, timeline.Describe());
            return host;
        }
        catch
        {
            if (listener is not null)
            {
                await listener.DisposeAsync().ConfigureAwait(false);
            }
            if (transactions is not null)
            {
                await transactions.DisposeAsync().ConfigureAwait(false);
            }
            if (markers is not null)
            {
                await markers.DisposeAsync().ConfigureAwait(false);
            }
            if (groups is not null)
            {
                await groups.DisposeAsync().ConfigureAwait(false);
            }
            if (cluster is not null)
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
            }
            else if (quorumStart is not null)
            {
                await StopUnusedQuorumAsync(quorumStart).ConfigureAwait(false);
            }
            if (replicas is not null)
            {
                await replicas.DisposeAsync().ConfigureAwait(false);
            }
            logs.Dispose();
            throw;
        }
    }

    /// <summary>A start that failed before the cluster services took the quorum over must not leave it running or its files open.</summary>
    private static async Task StopUnusedQuorumAsync(Task<ControllerQuorum> quorumStart)
    {
        try
        {
            var quorum = await quorumStart.ConfigureAwait(false);
            await quorum.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Its own start failed (and it cleaned up after itself); the caller rethrows the first failure.
        }
    }

    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(host))
        {
            return IPAddress.Any;
        }
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        return addresses.Length > 0 ? addresses[0] : throw new InvalidOperationException($"Listener host '{host}' does not resolve to an address.");
    }

    private static string AdvertisedHost(BrokerOptions options)
    {
        if (!string.IsNullOrEmpty(options.AdvertisedHost))
        {
            return options.AdvertisedHost;
        }
        // A wildcard bind is not an address a client can dial; Kafka advertises the host name then.
        return string.IsNullOrEmpty(options.ListenHost) || options.ListenHost is "0.0.0.0" or "::" ? Dns.GetHostName() : options.ListenHost;
    }

    /// <summary>Kafka's default (Long.MaxValue) means no periodic run; a Timer takes at most ~49 days.</summary>
    private static TimeSpan FlusherInterval(long ms) =>
        ms >= uint.MaxValue - 1L ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms);

    private void Checkpoint()
    {
        try
        {
            _logs.CheckpointAll();
        }
        catch (IOException ex)
        {
            BrokerLog.CheckpointFailed(_logger, ex.Message);
        }
    }

    /// <summary>Stops accepting, closes connections, flushes and closes the logs.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        // Leaderships move to other brokers first, while this one still serves their fetches.
        await _cluster.ControlledShutdownAsync().ConfigureAwait(false);
        await _checkpointTimer.DisposeAsync().ConfigureAwait(false);
        await _flushTimer.DisposeAsync().ConfigureAwait(false);
        await _producerExpiryTimer.DisposeAsync().ConfigureAwait(false);
        await _retention.DisposeAsync().ConfigureAwait(false);
        await _listener.DisposeAsync().ConfigureAwait(false);
        if (_transactions is not null)
        {
            await _transactions.DisposeAsync().ConfigureAwait(false);
        }
        if (_markers is not null)
        {
            await _markers.DisposeAsync().ConfigureAwait(false);
        }
        if (_groups is not null)
        {
            await _groups.DisposeAsync().ConfigureAwait(false);
        }
        await _cluster.DisposeAsync().ConfigureAwait(false);
        // Replica fetchers stop before the logs they append to close.
        await Replicas.DisposeAsync().ConfigureAwait(false);
        if (_cleaner is not null)
        {
            await _cleaner.DisposeAsync().ConfigureAwait(false);
        }
        _logs.Dispose();
        BrokerLog.Stopped(_logger);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
