using Freshet.Broker.Configuration;
using Freshet.Broker.Diagnostics;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Cluster;

/// <summary>
/// This broker's standing with the active controller: it registers (a new incarnation id each start, so the
/// controller tells a restart from a duplicate), then heartbeats every <c>broker.heartbeat.interval.ms</c> with
/// the metadata offset it has applied. The controller unfences it once that offset reaches its registration,
/// and fences it when heartbeats stop for <c>broker.session.timeout.ms</c>. A controlled shutdown asks the
/// controller to move this broker's leaderships away before it stops.
/// </summary>
internal sealed class BrokerLifecycle : IAsyncDisposable
{
    // While fenced the broker heartbeats as soon as it has applied more of the metadata log (what the controller
    // waits for to unfence it), and at least this often, so a start-up is not held up by the heartbeat interval.
    private static readonly TimeSpan FencedHeartbeatInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(100);

    private readonly ControllerChannel _channel;
    private readonly ControllerApis? _local;
    private readonly MetadataPublisher _publisher;
    private readonly BrokerOptions _options;
    private readonly Func<BrokerRegistrationRequest.Listener> _listener;
    private readonly ILogger _logger;
    private readonly string _clusterId;
    private readonly KafkaUuid _incarnationId = KafkaUuid.NewRandom();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _unfenced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private long _brokerEpoch = -1;
    private volatile bool _fenced = true;

    public BrokerLifecycle(
        ControllerChannel channel, ControllerApis? local, MetadataPublisher publisher, BrokerOptions options, string clusterId,
        Func<BrokerRegistrationRequest.Listener> listener, ILogger logger)
    {
        _clusterId = clusterId;
        _channel = channel;
        _local = local;
        _publisher = publisher;
        _options = options;
        _listener = listener;
        _logger = logger;
    }

    public int BrokerId => _options.NodeId;

    /// <summary>The epoch the controller gave this broker's registration; -1 before it registered.</summary>
    public long BrokerEpoch => Interlocked.Read(ref _brokerEpoch);

    public bool IsFenced => _fenced;

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Completes when the controller first accepts this broker's registration.</summary>
    public Task WaitUntilRegisteredAsync(CancellationToken cancellationToken) => _registered.Task.WaitAsync(cancellationToken);

    /// <summary>Completes when the controller first unfences this broker.</summary>
    public Task WaitUntilUnfencedAsync(CancellationToken cancellationToken) => _unfenced.Task.WaitAsync(cancellationToken);

    private async Task RunAsync()
    {
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                await RegisterAsync(token).ConfigureAwait(false);
                await HeartbeatUntilStaleAsync(token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task RegisterAsync(CancellationToken token)
    {
        while (true)
        {
            var request = new BrokerRegistrationRequest
            {
                BrokerId = _options.NodeId,
                ClusterId = _clusterId,
                IncarnationId = _incarnationId,
                Listeners = [_listener()],
                Rack = _options.BrokerRack,
                PreviousBrokerEpoch = BrokerEpoch,
            };
            var response = await _channel.SendAsync(
                request, 4, BrokerRegistrationResponse.Read,
                ct => ClusterServices.LocalApis(_local).RegisterBrokerAsync(request, ct),
                r => r.ErrorCode == (short)ErrorCode.NotController,
                token).ConfigureAwait(false);
            if (response.ErrorCode == (short)ErrorCode.None)
            {
                Interlocked.Exchange(ref _brokerEpoch, response.BrokerEpoch);
                ClusterLog.Registered(_logger, _options.NodeId, response.BrokerEpoch);
                _registered.TrySetResult();
                return;
            }
            ClusterLog.HeartbeatFailed(_logger, $"registration refused with {(ErrorCode)response.ErrorCode}");
            await Task.Delay(RetryBackoff, token).ConfigureAwait(false);
        }
    }

    private async Task HeartbeatUntilStaleAsync(CancellationToken token)
    {
        while (true)
        {
            var reportedOffset = _publisher.AppliedOffset;
            var response = await SendHeartbeatAsync(wantShutDown: false, token).ConfigureAwait(false);
            switch ((ErrorCode)response.ErrorCode)
            {
                case ErrorCode.None:
                    Observe(response);
                    break;
                case ErrorCode.StaleBrokerEpoch:
                    // The controller no longer knows this registration (replaced, or a new controller's log lacks it).
                    ClusterLog.Fenced(_logger, _options.NodeId);
                    _fenced = true;
                    return;
                default:
                    ClusterLog.HeartbeatFailed(_logger, ((ErrorCode)response.ErrorCode).ToString());
                    break;
            }
            if (_fenced)
            {
                await _publisher.WaitUntilAsync(() => _publisher.AppliedOffset > reportedOffset, FencedHeartbeatInterval, token).ConfigureAwait(false);
            }
            else
            {
                await Task.Delay(TimeSpan.FromMilliseconds(_options.BrokerHeartbeatIntervalMs), token).ConfigureAwait(false);
            }
        }
    }

    private void Observe(BrokerHeartbeatResponse response)
    {
        var wasFenced = _fenced;
        _fenced = response.IsFenced;
        if (wasFenced && !response.IsFenced)
        {
            ClusterLog.Unfenced(_logger, _options.NodeId, _publisher.AppliedOffset);
            _unfenced.TrySetResult();
        }
    }

    private Task<BrokerHeartbeatResponse> SendHeartbeatAsync(bool wantShutDown, CancellationToken token)
    {
        var request = new BrokerHeartbeatRequest
        {
            BrokerId = _options.NodeId,
            BrokerEpoch = BrokerEpoch,
            CurrentMetadataOffset = _publisher.AppliedOffset,
            WantFence = false,
            WantShutDown = wantShutDown,
        };
        return _channel.SendAsync(
            request, 1, BrokerHeartbeatResponse.Read,
            ct => ClusterServices.LocalApis(_local).HeartbeatAsync(request, ct),
            r => r.ErrorCode == (short)ErrorCode.NotController,
            token);
    }

    /// <summary>
    /// Kafka's controlled shutdown: heartbeats asking to shut down until the controller has moved every leadership
    /// away and answers ShouldShutDown, or until <paramref name="timeout"/> passes.
    /// </summary>
    public async Task ControlledShutdownAsync(TimeSpan timeout)
    {
        await StopLoopAsync().ConfigureAwait(false);
        if (BrokerEpoch < 0)
        {
            return;
        }
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var response = await SendHeartbeatAsync(wantShutDown: true, deadline.Token).ConfigureAwait(false);
                if (response.ErrorCode != (short)ErrorCode.None || response.ShouldShutDown)
                {
                    ClusterLog.ControlledShutdown(_logger, response.ShouldShutDown ? "leaderships moved" : ((ErrorCode)response.ErrorCode).ToString());
                    return;
                }
                await Task.Delay(FencedHeartbeatInterval * 5, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            ClusterLog.ControlledShutdown(_logger, "timed out; stopping anyway");
        }
    }

    private async Task StopLoopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopLoopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
