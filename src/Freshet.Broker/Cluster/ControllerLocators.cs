using Freshet.Broker.Configuration;
using Freshet.Broker.InterBroker;
using Freshet.Metadata.Quorum;

namespace Freshet.Broker.Cluster;

/// <summary>Where a request for the active controller goes: this node's own controller, or host:port.</summary>
internal readonly record struct ControllerTarget(bool IsLocal, string Host, int Port)
{
    public static ControllerTarget Local => new(true, "", 0);

    public override string ToString() => IsLocal ? "local" : $"{Host}:{Port}";
}

/// <summary>Finds the active controller for the <see cref="ControllerChannel"/>, and hears when a guess was wrong.</summary>
internal interface IControllerLocator
{
    /// <summary>Where to send now; null while no controller is known.</summary>
    ControllerTarget? Current { get; }

    /// <summary>The target was unreachable or answered NOT_CONTROLLER.</summary>
    void Failed(ControllerTarget target);

    /// <summary>Waits before the next try: at most <paramref name="backoff"/>, less when a controller becomes known sooner.</summary>
    Task WaitBeforeRetryAsync(TimeSpan backoff, CancellationToken cancellationToken);
}

/// <summary>
/// On a node that is a quorum voter: the quorum knows the leader. A combined node reaches another controller at the
/// broker endpoint that controller registered; a dedicated controller only ever runs requests itself.
/// </summary>
internal sealed class QuorumControllerLocator(ControllerQuorum quorum, IBrokerDirectory? brokers) : IControllerLocator
{
    public ControllerTarget? Current
    {
        get
        {
            if (quorum.LeaderId is not { } leader)
            {
                return null;
            }
            if (leader == quorum.NodeId)
            {
                return ControllerTarget.Local;
            }
            return brokers is not null && brokers.TryGetEndpoint(leader, out var host, out var port) ? new ControllerTarget(false, host, port) : null;
        }
    }

    public void Failed(ControllerTarget target)
    {
        // The quorum learns of the next leader by itself.
    }

    public Task WaitBeforeRetryAsync(TimeSpan backoff, CancellationToken cancellationToken) =>
        // While an election runs, go on the moment a leader is known rather than after the whole backoff: at start-up
        // that backoff would add to the time to the first registration.
        quorum.LeaderId is null ? quorum.TryWaitForLeaderAsync(backoff, cancellationToken) : Task.Delay(backoff, cancellationToken);
}

/// <summary>
/// On a broker-only node: the controllers' Kafka-protocol listeners from <c>controller.quorum.bootstrap.servers</c>,
/// tried in turn. The one that answers as the active controller is kept until it fails or answers NOT_CONTROLLER,
/// which after a failover moves the channel on to the next until it meets the new leader.
/// </summary>
internal sealed class BootstrapControllerLocator(IReadOnlyList<ListenerAddress> servers) : IControllerLocator
{
    private int _index;

    public ControllerTarget? Current
    {
        get
        {
            var server = servers[Volatile.Read(ref _index) % servers.Count];
            return new ControllerTarget(false, server.Host, server.Port);
        }
    }

    public void Failed(ControllerTarget target)
    {
        var index = Volatile.Read(ref _index);
        var server = servers[index % servers.Count];
        if (server.Host == target.Host && server.Port == target.Port)
        {
            Interlocked.CompareExchange(ref _index, index + 1, index);
        }
    }

    public Task WaitBeforeRetryAsync(TimeSpan backoff, CancellationToken cancellationToken) => Task.Delay(backoff, cancellationToken);
}
