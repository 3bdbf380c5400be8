using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Freshet.Metadata.Image;
using Freshet.Metadata.Log;
using Freshet.Metadata.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Metadata.Quorum;

/// <summary>
/// One controller's membership in the Raft quorum that replicates the metadata log. Consensus,
/// the write-ahead log and snapshot transfer are DotNext's; this class wires them to the voters,
/// the <c>__cluster_metadata-0</c> directory and the metadata image.
/// </summary>
public sealed class ControllerQuorum : IMetadataSource, IAsyncDisposable
{
    private readonly ControllerQuorumOptions _options;
    private readonly Dictionary<EndPoint, int> _idsByEndPoint = [];
    private readonly MetadataStateMachine _stateMachine;
    private readonly WriteAheadLog _log;
    private readonly RaftCluster _cluster;
    private readonly ControllerListeners _listeners;
    private int _stopped;

    private ControllerQuorum(ControllerQuorumOptions options, MetadataStateMachine stateMachine, WriteAheadLog log, RaftCluster cluster)
    {
        _options = options;
        _stateMachine = stateMachine;
        _log = log;
        _cluster = cluster;
        LogReader = new MetadataLogReader(stateMachine.Feed, stateMachine.Entries);
        foreach (var voter in options.Voters)
            _idsByEndPoint[voter.ResolveEndPoint()] = voter.Id;
        _listeners = new ControllerListeners(cluster, _idsByEndPoint, TimeSpan.FromMilliseconds(options.RequestTimeoutMs));
    }

    public int NodeId => _options.NodeId;

    /// <summary>The latest applied image; replace your reference to see later changes.</summary>
    public MetadataImage Image => _stateMachine.Image;

    /// <summary>Serves this controller's committed log to observers (broker-only nodes).</summary>
    public MetadataLogReader LogReader { get; }

    public bool IsLeader => !_cluster.LeadershipToken.IsCancellationRequested;

    /// <summary>
    /// Cancelled when the current leadership ends; each term of leadership has its own token, so the
    /// active controller can tell that it lost and regained leadership in between.
    /// </summary>
    internal CancellationToken LeadershipToken => _cluster.LeadershipToken;

    /// <summary>The node id of the active controller, or null while there is none.</summary>
    public int? LeaderId => _cluster.Leader?.EndPoint is { } endPoint && _idsByEndPoint.TryGetValue(endPoint, out var id) ? id : null;

    /// <summary>The Kafka-protocol listeners of the voters known so far (<see cref="ControllerQuorumOptions.ClientListener"/>), by node id.</summary>
    public Task<IReadOnlyList<ControllerListener>> ControllerListenersAsync(CancellationToken token = default) => _listeners.DescribeAsync(token);

    public static async Task<ControllerQuorum> StartAsync(ControllerQuorumOptions options, ILoggerFactory? loggerFactory = null, CancellationToken token = default)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var self = FindSelf(options);
        var snapshots = Directory.CreateDirectory(Path.Combine(options.LogDirectory, "snapshots"));
        var walDir = Directory.CreateDirectory(Path.Combine(options.LogDirectory, "wal"));

        var stateMachine = new MetadataStateMachine(snapshots, options.SnapshotEveryEntries, options.RetainedEntries, loggerFactory.CreateLogger<ControllerQuorum>());
        await stateMachine.RestoreAsync(token).ConfigureAwait(false);
        var log = new WriteAheadLog(new WriteAheadLog.Options { Location = walDir.FullName }, stateMachine);

        // The voters are static configuration, as in Kafka's controller.quorum.voters: every node
        // starts from the same member list, so no node has to bootstrap the others.
        var voters = new List<EndPoint>(options.Voters.Count);
        foreach (var voter in options.Voters)
            voters.Add(voter.ResolveEndPoint());
        var storage = new VoterConfigurationStorage(voters);

        var configuration = new RaftCluster.TcpConfiguration(self.ResolveEndPoint())
        {
            LowerElectionTimeout = options.ElectionTimeoutMs,
            UpperElectionTimeout = options.ElectionTimeoutMs * 2,
            RequestTimeout = TimeSpan.FromMilliseconds(options.RequestTimeoutMs),
            ConnectTimeout = TimeSpan.FromMilliseconds(options.RequestTimeoutMs),
            ColdStart = false,
            LoggerFactory = loggerFactory,
            ConfigurationStorage = storage,
        };

        if (options.ClientListener is { } listener)
            configuration.Metadata[ControllerListeners.MetadataKey] = ControllerListeners.Format(listener.Host, listener.Port);

        var cluster = new RaftCluster(configuration) { AuditTrail = log };
        var quorum = new ControllerQuorum(options, stateMachine, log, cluster);
        try
        {
            await cluster.StartAsync(token).ConfigureAwait(false);
        }
        catch
        {
            // A taken port or a cancelled start must not leave the log files open.
            await quorum.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return quorum;
    }

    /// <summary>
    /// Appends the records as one entry and returns once a majority has committed it and the local
    /// image includes it; the result is the entry's offset in the metadata log.
    /// </summary>
    public async Task<long> AppendAsync(IReadOnlyList<MetadataRecord> records, CancellationToken token = default)
    {
        if (!IsLeader)
            throw new NotControllerException($"Node {NodeId} is not the active controller (leader: {LeaderId?.ToString() ?? "none"}).");
        var receipt = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _cluster.ReplicateAsync(MetadataBatch.Encode(records), receipt, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or NotLeaderException
                                      || (e is OperationCanceledException && !token.IsCancellationRequested))
        {
            // A cancellation the caller did not ask for is the Raft layer giving up the entry with its leadership. A
            // later leader may still commit it, but this node can no longer tell; the caller retries on that leader.
            throw new NotControllerException($"Node {NodeId} lost leadership while appending: {e.Message}");
        }
        var offset = await receipt.Task.WaitAsync(token).ConfigureAwait(false);
        AnnounceCommit();
        return offset;
    }

    /// <summary>
    /// Followers learn that an entry is committed from the leader's next append request; without one they would
    /// wait for the next Raft heartbeat (half the election timeout) before they apply it. A replication round
    /// started now tells them at once, so a leader change reaches every broker in milliseconds. Nobody waits for
    /// it: a member that is down is the next heartbeat's concern.
    /// </summary>
    private void AnnounceCommit()
    {
        if (Volatile.Read(ref _stopped) != 0)
            return;
        _ = _cluster.ForceReplicationAsync(CancellationToken.None).AsTask().ContinueWith(
            static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits until the local image has applied the metadata log up to <paramref name="offset"/>.</summary>
    public Task<MetadataImage> WaitForOffsetAsync(long offset, CancellationToken token = default) => _stateMachine.Feed.WaitForOffsetAsync(offset, token);

    /// <summary>
    /// Yields the current image, then each newer one as it is published. A slow reader skips the
    /// images it had no time for and gets the latest: every image is complete, so nothing is lost.
    /// </summary>
    public IAsyncEnumerable<MetadataImage> WatchAsync(CancellationToken token = default) => _stateMachine.Feed.WatchAsync(token);

    /// <summary>Waits until some controller is the known leader; returns its node id.</summary>
    public async Task<int> WaitForLeaderAsync(TimeSpan timeout, CancellationToken token = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (LeaderId is { } id)
                return id;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"No controller leader within {timeout}.");
            await _cluster.WaitForLeaderAsync(left, token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for some controller to be the known leader, returning as soon as one
    /// is; false when none is known by then. Never returns at once without a leader, so callers can loop on it.
    /// </summary>
    public async Task<bool> TryWaitForLeaderAsync(TimeSpan timeout, CancellationToken token = default)
    {
        if (LeaderId is not null)
            return true;
        try
        {
            await _cluster.WaitForLeaderAsync(timeout, token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return LeaderId is not null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The quorum is stopping or unreachable: its election event fails at once, so wait out the time here.
            await Task.Delay(timeout, token).ConfigureAwait(false);
            return LeaderId is not null;
        }
        if (LeaderId is null)
        {
            // A leader at an endpoint that is not a configured voter: nothing to wait on but time.
            await Task.Delay(timeout, token).ConfigureAwait(false);
        }
        return LeaderId is not null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        try
        {
            await _cluster.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _cluster.Dispose();
            await _log.DisposeAsync().ConfigureAwait(false);
            await _stateMachine.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static QuorumVoter FindSelf(ControllerQuorumOptions options)
    {
        foreach (var voter in options.Voters)
        {
            if (voter.Id == options.NodeId)
                return voter;
        }
        throw new ArgumentException($"node.id {options.NodeId} is not among controller.quorum.voters.");
    }
}
