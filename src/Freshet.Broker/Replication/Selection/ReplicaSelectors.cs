namespace Freshet.Broker.Replication.Selection;

/// <summary>
/// The values <c>replica.selector.class</c> accepts: Kafka's class names, so a Kafka configuration carries over, and
/// Freshet's own, each naming the selector that behaves as Kafka's does.
/// </summary>
internal static class ReplicaSelectors
{
    public const string KafkaRackAware = "org.apache.kafka.common.replica.RackAwareReplicaSelector";
    public const string KafkaLeader = "org.apache.kafka.common.replica.LeaderSelector";
    public const string RackAware = "Freshet.Broker.Replication.Selection.RackAwareReplicaSelector";
    public const string Leader = "Freshet.Broker.Replication.Selection.LeaderReplicaSelector";

    public static readonly string[] Names = [KafkaRackAware, KafkaLeader, RackAware, Leader];

    /// <summary>The selector a (validated) setting names; null when none is set, and consumers read from the leader.</summary>
    public static IReplicaSelector? FromName(string? name) => name switch
    {
        null or "" => null,
        KafkaRackAware or RackAware => new RackAwareReplicaSelector(),
        KafkaLeader or Leader => new LeaderReplicaSelector(),
        _ => throw new ArgumentException($"Unknown replica selector '{name}'.", nameof(name)),
    };
}
