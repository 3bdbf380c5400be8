namespace Freshet.Metadata.Controller;

/// <summary>The active controller's settings, under Kafka's property names.</summary>
public sealed class QuorumControllerOptions
{
    /// <summary><c>broker.session.timeout.ms</c>: a broker with no heartbeat for this long is fenced.</summary>
    public int BrokerSessionTimeoutMs { get; init; } = 9000;

    /// <summary><c>broker.heartbeat.interval.ms</c>: how often brokers are told to heartbeat; the controller only reports it.</summary>
    public int BrokerHeartbeatIntervalMs { get; init; } = 2000;

    /// <summary><c>unclean.leader.election.enable</c>: the cluster default; a topic config of the same name overrides it.</summary>
    public bool UncleanLeaderElectionEnable { get; init; }

    /// <summary><c>auto.leader.rebalance.enable</c>: move leadership back to preferred replicas periodically.</summary>
    public bool AutoLeaderRebalanceEnable { get; init; } = true;

    /// <summary><c>leader.imbalance.check.interval.seconds</c> (300), in milliseconds so tests can shorten it.</summary>
    public int LeaderImbalanceCheckIntervalMs { get; init; } = 300_000;

    /// <summary>
    /// <c>leader.imbalance.per.broker.percentage</c>: automatic balancing moves a broker's partitions back to it only
    /// when more than this share of the partitions that prefer it are led elsewhere.
    /// </summary>
    public int LeaderImbalancePerBrokerPercentage { get; init; } = 10;

    /// <summary>
    /// A fixed period for the active controller's check for expired broker sessions, for tests that drive
    /// fencing themselves. Unset (the default), the check runs when the earliest session expires, as Kafka's
    /// controller schedules it, so a silent broker is fenced as soon as its session timeout has passed.
    /// </summary>
    public int? SessionCheckIntervalMs { get; init; }

    /// <summary>
    /// The broker of a combined node whose quorum is this node alone, or null. That broker reads the very image this
    /// controller writes, so it has caught up with the metadata log the moment its registration commits: it is
    /// registered and unfenced (and given the partitions it can lead) in one entry, rather than registered fenced and
    /// unfenced by its next heartbeat in a second one. Kafka unfences a broker once it has caught up; here that is
    /// already true, and a lone node's start-up is one metadata commit shorter.
    /// </summary>
    public int? CoLocatedBrokerId { get; init; }

    /// <summary>Producer ids handed out per AllocateProducerIds call, as Kafka's controller does.</summary>
    public int ProducerIdBlockSize { get; init; } = 1000;

    /// <summary>The clock for broker sessions; tests substitute a manual one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Chooses replica placement start points; tests seed it.</summary>
    public Random Random { get; init; } = Random.Shared;

    public void Validate()
    {
        if (BrokerSessionTimeoutMs <= 0)
            throw new ArgumentException("broker.session.timeout.ms must be positive.");
        if (LeaderImbalanceCheckIntervalMs <= 0)
            throw new ArgumentException("leader.imbalance.check.interval.seconds must be positive.");
        if (LeaderImbalancePerBrokerPercentage is < 0 or > 100)
            throw new ArgumentException("leader.imbalance.per.broker.percentage must be between 0 and 100.");
        if (BrokerHeartbeatIntervalMs <= 0)
            throw new ArgumentException("broker.heartbeat.interval.ms must be positive.");
        if (SessionCheckIntervalMs <= 0 || ProducerIdBlockSize <= 0)
            throw new ArgumentException("Session check interval and producer id block size must be positive.");
    }
}
