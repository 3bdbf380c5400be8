using Freshet.Broker.InterBroker;
using Freshet.Metadata.Quorum;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Cluster;

/// <summary>
/// Sends requests meant for the active controller: run here when this node is it, otherwise sent over one
/// connection to where the <see cref="IControllerLocator"/> says the active controller listens. A request that
/// meets no controller, a broken connection or NOT_CONTROLLER (leadership moved on the way) is tried again with
/// a short backoff until the caller's token ends.
/// </summary>
internal sealed class ControllerChannel(IControllerLocator locator, bool mayForward, ILogger logger) : IAsyncDisposable
{
    /// <summary>
    /// The client id of every request this channel sends. A handler that sees it knows the request was already
    /// forwarded once, and runs it on its own controller or answers NOT_CONTROLLER, never forwarding it again.
    /// </summary>
    public const string ClientId = "freshet-controller-channel";

    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(50);

    // Kafka's request.timeout.ms default: forwarded admin requests (creating thousands of partitions) may take long.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    // How often a request in flight checks that the active controller is still where it was sent.
    private static readonly TimeSpan TargetCheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private BrokerClient? _client;
    private ControllerTarget _clientTarget;
    private int _disposed;

    /// <param name="local">Runs the request on this node, which is the active controller.</param>
    /// <param name="isNotController">True for a response that says the receiver was not the active controller.</param>
    public async Task<TResponse> SendAsync<TResponse>(
        IRequestMessage request,
        short version,
        ResponseReader<TResponse> read,
        Func<CancellationToken, Task<TResponse>> local,
        Func<TResponse, bool> isNotController,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (locator.Current is { } target)
            {
                try
                {
                    var response = target.IsLocal
                        ? await local(cancellationToken).ConfigureAwait(false)
                        : await SendRemoteAsync(target, request, version, read, cancellationToken).ConfigureAwait(false);
                    if (!isNotController(response))
                    {
                        return response;
                    }
                    locator.Failed(target);
                }
                catch (IOException e)
                {
                    Diagnostics.ClusterLog.ControllerUnreachable(logger, target.ToString(), e.Message);
                    await DropClientAsync().ConfigureAwait(false);
                    locator.Failed(target);
                }
                catch (NotControllerException)
                {
                    // Lost leadership between the check and the append: find the new leader.
                }
            }
            await locator.WaitBeforeRetryAsync(RetryBackoff, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// True when a request that reached this node should be passed on to the active controller: it was not forwarded
    /// already, and this node forwards at all (a dedicated controller runs what it is sent or answers NOT_CONTROLLER).
    /// </summary>
    public bool MayForward(Requests.RequestContext context) => mayForward && context.ClientId != ClientId;

    /// <summary>
    /// Sends to <paramref name="target"/> and gives up, as an IOException the loop retries, when the active controller
    /// moves elsewhere meanwhile or no answer comes within Kafka's request.timeout.ms. A controller cut off by the
    /// network neither answers nor resets the connection; without this the request would wait for TCP to give up.
    /// </summary>
    private async Task<TResponse> SendRemoteAsync<TResponse>(ControllerTarget target, IRequestMessage request, short version, ResponseReader<TResponse> read, CancellationToken cancellationToken)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        abandon.CancelAfter(RequestTimeout);
        var watch = WatchTargetAsync(target, abandon);
        try
        {
            var client = await ConnectAsync(target, abandon.Token).ConfigureAwait(false);
            return await client.SendAsync(request, version, read, abandon.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"No answer from the controller at {target} (timed out or the controller moved).");
        }
        finally
        {
            await abandon.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }
    }

    /// <summary>Cancels <paramref name="abandon"/> once the locator points somewhere other than <paramref name="target"/>.</summary>
    private async Task WatchTargetAsync(ControllerTarget target, CancellationTokenSource abandon)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TargetCheckInterval, abandon.Token).ConfigureAwait(false);
                if (locator.Current is { } current && current != target)
                {
                    await abandon.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<BrokerClient> ConnectAsync(ControllerTarget target, CancellationToken cancellationToken)
    {
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is { IsConnected: true } current && _clientTarget == target)
            {
                return current;
            }
            if (_client is not null)
            {
                await _client.DisposeAsync().ConfigureAwait(false);
                _client = null;
            }
            _client = await BrokerClient.ConnectAsync(target.Host, target.Port, ClientId, cancellationToken).ConfigureAwait(false);
            _clientTarget = target;
            return _client;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task DropClientAsync()
    {
        await _connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_client is not null)
            {
                await _client.DisposeAsync().ConfigureAwait(false);
                _client = null;
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await DropClientAsync().ConfigureAwait(false);
    }
}
