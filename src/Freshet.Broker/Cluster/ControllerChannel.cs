using Freshet.Broker.InterBroker;
using Freshet.Metadata.Quorum;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Cluster;

/// <summary>
/// Sends requests meant for the active controller: run here when this node is it, otherwise sent over one
/// connection to the node the quorum names as leader, at the address that node registered. A request that
/// meets no leader, a broken connection or NOT_CONTROLLER (leadership moved on the way) is tried again with
/// a short backoff until the caller's token ends.
/// </summary>
internal sealed class ControllerChannel(ControllerQuorum quorum, IBrokerDirectory brokers, ILogger logger) : IAsyncDisposable
{
    /// <summary>
    /// The client id of every request this channel sends. A handler that sees it knows the request was already
    /// forwarded once, and runs it on its own controller or answers NOT_CONTROLLER, never forwarding it again.
    /// </summary>
    public const string ClientId = "freshet-controller-channel";

    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(50);

    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private BrokerClient? _client;
    private int _clientLeader = -1;
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
            var leader = quorum.LeaderId;
            if (leader is null)
            {
                // No leader yet (an election is running): go on the moment one is known rather than after a backoff,
                // which at start-up would add the whole backoff to the time to the first registration.
                await quorum.TryWaitForLeaderAsync(RetryBackoff, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (leader is { } id)
            {
                try
                {
                    var response = id == quorum.NodeId
                        ? await local(cancellationToken).ConfigureAwait(false)
                        : await SendRemoteAsync(id, request, version, read, cancellationToken).ConfigureAwait(false);
                    if (!isNotController(response))
                    {
                        return response;
                    }
                }
                catch (IOException e)
                {
                    Diagnostics.ClusterLog.ControllerUnreachable(logger, id, e.Message);
                    await DropClientAsync().ConfigureAwait(false);
                }
                catch (NotControllerException)
                {
                    // Lost leadership between the check and the append: find the new leader.
                }
            }
            await Task.Delay(RetryBackoff, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TResponse> SendRemoteAsync<TResponse>(int leader, IRequestMessage request, short version, ResponseReader<TResponse> read, CancellationToken cancellationToken)
    {
        var client = await ConnectAsync(leader, cancellationToken).ConfigureAwait(false);
        return await client.SendAsync(request, version, read, cancellationToken).ConfigureAwait(false);
    }

    private async Task<BrokerClient> ConnectAsync(int leader, CancellationToken cancellationToken)
    {
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is { IsConnected: true } current && _clientLeader == leader)
            {
                return current;
            }
            if (_client is not null)
            {
                await _client.DisposeAsync().ConfigureAwait(false);
                _client = null;
            }
            if (!brokers.TryGetEndpoint(leader, out var host, out var port))
            {
                throw new IOException($"The active controller {leader} has not registered an endpoint yet.");
            }
            _client = await BrokerClient.ConnectAsync(host, port, ClientId, cancellationToken).ConfigureAwait(false);
            _clientLeader = leader;
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

    /// <summary>True for a request another node forwarded here through its channel.</summary>
    public static bool IsForwarded(Requests.RequestContext context) => context.ClientId == ClientId;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await DropClientAsync().ConfigureAwait(false);
    }
}
