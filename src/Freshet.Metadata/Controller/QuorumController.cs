using System.Threading.Channels;
using Freshet.Metadata.Image;
using Freshet.Metadata.Quorum;
using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Metadata.Controller;

/// <summary>
/// The controller's logic, run on every controller node and acting only while its quorum is the Raft
/// leader (the active controller, in Kafka's terms). Every operation goes through one queue served by
/// one loop, so each reads the latest image, decides, and appends all of its records as one entry
/// before the next one starts: no two operations ever decide from the same stale image. On a node
/// that is not the leader every operation answers NOT_CONTROLLER.
/// </summary>
public sealed partial class QuorumController : IAsyncDisposable
{
    private readonly ControllerQuorum _quorum;
    private readonly QuorumControllerOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<ControllerEvent> _queue = Channel.CreateUnbounded<ControllerEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly BrokerSessions _sessions;
    private readonly ReplicaPlacer _placer;
    private readonly Task _loop;
    private readonly Task _sessionTimer;
    private readonly Task _rebalanceTimer;
    private CancellationToken _activeLeadership = new(canceled: true);
    private int _disposed;

    public QuorumController(ControllerQuorum quorum, QuorumControllerOptions options, ILoggerFactory? loggerFactory = null)
    {
        options.Validate();
        _quorum = quorum;
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<QuorumController>();
        _sessions = new BrokerSessions(options.Time, TimeSpan.FromMilliseconds(options.BrokerSessionTimeoutMs));
        _placer = new ReplicaPlacer(options.Random);
        _loop = Task.Run(RunLoopAsync);
        _sessionTimer = Task.Run(RunSessionTimerAsync);
        _rebalanceTimer = options.AutoLeaderRebalanceEnable
            ? Task.Run(() => RepeatAsync(options.LeaderImbalanceCheckIntervalMs, RebalanceLeadersAsync))
            : Task.CompletedTask;
    }

    public int NodeId => _quorum.NodeId;

    /// <summary>True while this node is the active controller.</summary>
    public bool IsActive => _quorum.IsLeader;

    /// <summary>The latest metadata image this node has applied.</summary>
    public MetadataImage Image => _quorum.Image;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loop, _sessionTimer, _rebalanceTimer).ConfigureAwait(false);
        while (_queue.Reader.TryRead(out var pending))
            pending.Abandon();
        _stopping.Dispose();
    }

    /// <summary>
    /// Queues an operation. It runs on the loop with a token that is cancelled when leadership ends;
    /// a lost leadership, here or inside the append, answers <paramref name="fail"/>(NOT_CONTROLLER).
    /// </summary>
    private Task<T> SubmitAsync<T>(Func<CancellationToken, Task<T>> operation, Func<ErrorCode, string?, T> fail, CancellationToken token)
    {
        var work = new ControllerEvent<T>(operation, fail);
        if (!_queue.Writer.TryWrite(work))
            return Task.FromResult(fail(ErrorCode.NotController, "The controller is shutting down."));
        return work.Result.WaitAsync(token);
    }

    /// <summary>Appends one operation's records as one metadata log entry; returns its offset once applied locally.</summary>
    private Task<long> CommitAsync(List<MetadataRecord> records, CancellationToken token) => _quorum.AppendAsync(records, token);

    private async Task RunLoopAsync()
    {
        try
        {
            await foreach (var work in _queue.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                var leadership = await ActivateAsync().ConfigureAwait(false);
                await work.RunAsync(_logger, leadership, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Returns the current leadership's token, cancelled when this node is not the leader. The first
    /// time a leadership is seen, the loop first appends an empty entry and waits for it, so the image
    /// holds everything earlier leaders committed before this one decides anything, and then starts a
    /// fresh session for every registered broker.
    /// </summary>
    private async Task<CancellationToken> ActivateAsync()
    {
        var leadership = _quorum.LeadershipToken;
        if (leadership.IsCancellationRequested || leadership == _activeLeadership)
            return leadership;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(leadership, _stopping.Token);
            var offset = await CommitAsync([], linked.Token).ConfigureAwait(false);
            _sessions.Clear();
            foreach (var broker in _quorum.Image.Brokers.Values)
                _sessions.Start(broker.Id, offset).ShuttingDown = broker.InControlledShutdown;
            _activeLeadership = leadership;
            LogActivated(_logger, NodeId, offset, _quorum.Image.Brokers.Count);
            return leadership;
        }
        catch (Exception e) when (e is NotControllerException || (e is OperationCanceledException && !_stopping.IsCancellationRequested))
        {
            return new CancellationToken(canceled: true);
        }
    }

    private TimeSpan HeartbeatInterval => TimeSpan.FromMilliseconds(_options.BrokerHeartbeatIntervalMs);

    /// <summary>
    /// Checks broker sessions when the earliest one can expire (Kafka's controller schedules its check the same
    /// way), so a silent broker is fenced as soon as its session timeout has passed and not a polling period later.
    /// With nothing to expire it looks again after a heartbeat interval. On a node that is not the leader it looks
    /// often for leadership, so that a newly elected controller activates (and starts the sessions whose expiry
    /// fences a dead broker) at once rather than when the first request reaches it. A fixed
    /// <see cref="QuorumControllerOptions.SessionCheckIntervalMs"/> replaces all this.
    /// </summary>
    private async Task RunSessionTimerAsync()
    {
        var wait = HeartbeatInterval;
        try
        {
            while (true)
            {
                var fixedPeriod = _options.SessionCheckIntervalMs;
                await Task.Delay(fixedPeriod is { } ms ? TimeSpan.FromMilliseconds(ms) : wait, _stopping.Token).ConfigureAwait(false);
                if (!_quorum.IsLeader)
                {
                    wait = LeadershipPollInterval;
                    continue;
                }
                try
                {
                    wait = await FenceExpiredBrokersAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPeriodicTaskFailed(_logger, e);
                    wait = HeartbeatInterval;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RepeatAsync(int intervalMs, Func<CancellationToken, Task> action)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(intervalMs));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                if (!_quorum.IsLeader)
                    continue;
                try
                {
                    await action(_stopping.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPeriodicTaskFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private bool UncleanElectionAllowed(MetadataImage image, string topic) =>
        image.Configs.TryGetValue(new ConfigResource(ConfigResource.TopicType, topic), out var configs)
        && configs.TryGetValue(UncleanLeaderElectionConfig, out var value)
            ? string.Equals(value, "true", StringComparison.OrdinalIgnoreCase)
            : _options.UncleanLeaderElectionEnable;

    /// <summary>
    /// A broker may lead or join an ISR when it is registered, unfenced and not shutting down: not in controlled
    /// shutdown in the image (whichever controller recorded it) nor about to be in this controller's session.
    /// </summary>
    private bool IsEligible(MetadataImage image, int brokerId) =>
        image.Brokers.TryGetValue(brokerId, out var broker) && !broker.Fenced && !broker.InControlledShutdown && !_sessions.IsShuttingDown(brokerId);

    // How often a controller that is not active looks whether it has become so: a flag read, nothing more.
    private static readonly TimeSpan LeadershipPollInterval = TimeSpan.FromMilliseconds(20);

    // A session that expires now is checked after this: the timer never spins.
    private static readonly TimeSpan MinSessionCheckDelay = TimeSpan.FromMilliseconds(1);

    public const string UncleanLeaderElectionConfig = "unclean.leader.election.enable";

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller {NodeId} is active from metadata offset {Offset} with {Brokers} registered brokers")]
    private static partial void LogActivated(ILogger logger, int nodeId, long offset, int brokers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A periodic controller task failed")]
    private static partial void LogPeriodicTaskFailed(ILogger logger, Exception e);
}
