using System.Globalization;
using Freshet.Broker.Replication.Selection;

namespace Freshet.Broker.Configuration;

/// <summary>
/// Every broker setting Freshet knows, by Kafka property name. Lower-precedence spellings come
/// before the setting they yield to (log.retention.hours, .minutes, then .ms), so applying the
/// table in order gives Kafka's precedence.
/// </summary>
public static class BrokerConfigDefinitions
{
    private const long MsPerMinute = 60L * 1000;
    private const long MsPerHour = 60 * MsPerMinute;

    public static readonly IReadOnlyList<string> CleanupPolicies = ["delete", "compact"];

    public static readonly IReadOnlyList<string> TimestampTypes = ["CreateTime", "LogAppendTime"];

    /// <summary>Kafka's broker compression.type values; <c>producer</c> keeps the producer's codec.</summary>
    public static readonly IReadOnlyList<string> CompressionTypes = ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"];

    public static IReadOnlyList<BrokerConfigDefinition> All { get; } = Build();

    private static readonly Dictionary<string, BrokerConfigDefinition> ByName =
        All.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public static bool TryGet(string name, out BrokerConfigDefinition definition) =>
        ByName.TryGetValue(name, out definition!);

    /// <summary>
    /// Every known setting with its effective value, then the unrecognised settings the operator
    /// gave (kept in <see cref="BrokerOptions.OtherSettings"/>). For DescribeConfigs and for
    /// logging the effective configuration at start-up.
    /// </summary>
    public static IReadOnlyList<BrokerConfigEntry> Describe(BrokerOptions options)
    {
        var entries = new List<BrokerConfigEntry>(All.Count + options.OtherSettings.Count);
        foreach (var d in All)
        {
            var value = d.Read(options);
            entries.Add(new BrokerConfigEntry(d.Name, value, value == d.DefaultValue, d.IsSensitive, d.ReadOnly));
        }

        foreach (var (name, value) in options.OtherSettings)
            entries.Add(new BrokerConfigEntry(name, value, IsDefault: false, IsSensitive: false, ReadOnly: true));
        return entries;
    }

    private static List<BrokerConfigDefinition> Build() =>
    [
        Int("broker.id", 0, int.MaxValue, (o, v) => o.NodeId = v, o => o.NodeId, "The node id (Kafka's older name).", synonymOf: "node.id"),
        Int("node.id", 0, int.MaxValue, (o, v) => o.NodeId = v, o => o.NodeId, "The node id of this broker."),
        new("process.roles", ConfigRule.ListOf("broker", "controller"), (o, v) => o.ProcessRoles = v, o => o.ProcessRoles,
            "The roles of this node: broker,controller (a combined node), broker (serves clients, follows the controllers' metadata log) or controller (a quorum voter that serves only the controller APIs)."),
        new("controller.quorum.bootstrap.servers", ConfigRule.NonEmptyList(), (o, v) => o.ControllerQuorumBootstrapServers = v, o => o.ControllerQuorumBootstrapServers,
            "host:port of the controllers' PLAINTEXT listeners, where a broker-only node fetches the metadata log and finds the active controller."),
        new("controller.quorum.voters", ConfigRule.NonEmptyList(), (o, v) => o.ControllerQuorumVoters = v, o => o.ControllerQuorumVoters,
            "The controller quorum: id@host:port for every controller, the port being its CONTROLLER listener. Not set: this node alone."),
        new("controller.listener.names", ConfigRule.OneOf(["CONTROLLER"]), (_, _) => { }, _ => "CONTROLLER",
            "The listener name of the controller endpoint in listeners."),
        new("metadata.log.dir", ConfigRule.NonEmptyString(), (o, v) => o.MetadataLogDir = v, o => o.MetadataLogDir,
            "Where the cluster metadata log (__cluster_metadata-0) lives; the first log dir when not set."),
        Int("controller.quorum.election.timeout.ms", 10, int.MaxValue, (o, v) => o.ControllerQuorumElectionTimeoutMs = v, o => o.ControllerQuorumElectionTimeoutMs,
            "How long a controller waits without hearing from a leader before it calls an election."),
        Int("controller.quorum.request.timeout.ms", 10, int.MaxValue, (o, v) => o.ControllerQuorumRequestTimeoutMs = v, o => o.ControllerQuorumRequestTimeoutMs,
            "Timeout of the quorum's requests between controllers."),
        Int("broker.session.timeout.ms", 1, int.MaxValue, (o, v) => o.BrokerSessionTimeoutMs = v, o => o.BrokerSessionTimeoutMs,
            "How long a broker may go without a heartbeat before the controller fences it and moves its leaderships."),
        Int("broker.heartbeat.interval.ms", 1, int.MaxValue, (o, v) => o.BrokerHeartbeatIntervalMs = v, o => o.BrokerHeartbeatIntervalMs,
            "How often a broker heartbeats to the active controller."),
        new("broker.rack", ConfigRule.NonEmptyString(), (o, v) => o.BrokerRack = v, o => o.BrokerRack,
            "The rack of this broker, for rack-aware replica placement and for consumers that fetch from the closest replica."),
        new("replica.selector.class", ConfigRule.OneOf(ReplicaSelectors.Names), (o, v) => o.ReplicaSelectorClass = v, o => o.ReplicaSelectorClass,
            "How a leader picks the replica a consumer with client.rack reads from: org.apache.kafka.common.replica.RackAwareReplicaSelector "
            + "sends it to a replica in its rack. Not set: consumers read from the leader."),
        Bool("auto.leader.rebalance.enable", (o, v) => o.AutoLeaderRebalanceEnable = v, o => o.AutoLeaderRebalanceEnable,
            "Move leadership back to each partition's preferred replica in the background."),
        Int("leader.imbalance.check.interval.seconds", 1, int.MaxValue, (o, v) => o.LeaderImbalanceCheckIntervalSeconds = v, o => o.LeaderImbalanceCheckIntervalSeconds,
            "How often the controller checks for leaders away from their preferred replica."),
        Int("leader.imbalance.per.broker.percentage", 0, 100, (o, v) => o.LeaderImbalancePerBrokerPercentage = v, o => o.LeaderImbalancePerBrokerPercentage,
            "The share (percent) of a broker's preferred partitions led by other brokers above which automatic balancing moves them back."),
        new("listeners", ConfigRule.Listeners(),
            (o, v) =>
            {
                var (client, controller) = ListenerAddress.ParseBrokerAndController("listeners", v);
                o.ListenHost = client.Host;
                o.ListenPort = client.Port;
                if (controller is not null)
                {
                    o.ControllerHost = controller.Host;
                    o.ControllerPort = controller.Port;
                }
            },
            o => o.ControllerPort == 0
                ? new ListenerAddress(ListenerAddress.Plaintext, o.ListenHost, o.ListenPort).ToString()
                : $"{new ListenerAddress(ListenerAddress.Plaintext, o.ListenHost, o.ListenPort)},{ListenerAddress.Controller}://{ListenerAddress.Format(o.ControllerHost, o.ControllerPort)}",
            "The addresses the node listens on: PLAINTEXT://host:port for clients and CONTROLLER://host:port for the controller quorum (empty host: every interface; port 0: any free port)."),
        new("advertised.listeners", ConfigRule.Listeners(),
            (o, v) =>
            {
                var l = ListenerAddress.ParseSingle("advertised.listeners", v, allowPortZero: false);
                o.AdvertisedHost = l.Host;
                o.AdvertisedPort = l.Port;
            },
            o => o.AdvertisedHost is null ? null
                : new ListenerAddress(ListenerAddress.Plaintext, o.AdvertisedHost, o.AdvertisedPort ?? o.ListenPort).ToString(),
            "The address given to clients in Metadata responses; the listener's address when not set."),
        new("log.dir", ConfigRule.NonEmptyString(), (o, v) => o.LogDirs = [v], o => o.LogDirs.Count == 1 ? o.LogDirs[0] : null,
            "The data directory (used when log.dirs is not set).", synonymOf: "log.dirs"),
        new("log.dirs", ConfigRule.NonEmptyList(), (o, v) => o.LogDirs = [.. ConfigRule.SplitList(v)], o => string.Join(',', o.LogDirs),
            "The data directories, comma-separated."),
        new("cluster.id", ConfigRule.NonEmptyString(), (o, v) => o.ClusterId = v, o => o.ClusterId,
            "The cluster id written to meta.properties on first start; generated when not set."),
        Int("num.partitions", 1, int.MaxValue, (o, v) => o.NumPartitions = v, o => o.NumPartitions, "Partitions of an auto-created topic."),
        Int("default.replication.factor", 1, short.MaxValue, (o, v) => o.DefaultReplicationFactor = (short)v, o => o.DefaultReplicationFactor,
            "Replication factor of an auto-created topic."),
        Bool("auto.create.topics.enable", (o, v) => o.AutoCreateTopicsEnable = v, o => o.AutoCreateTopicsEnable,
            "Create a topic when a client asks for metadata of a topic that does not exist."),
        Int("message.max.bytes", 0, int.MaxValue, (o, v) => o.MessageMaxBytes = v, o => o.MessageMaxBytes,
            "Largest record batch accepted, after compression."),
        Int("socket.request.max.bytes", 1, int.MaxValue, (o, v) => o.SocketRequestMaxBytes = v, o => o.SocketRequestMaxBytes,
            "Largest request frame accepted."),
        Int("queued.max.requests", 1, int.MaxValue, (o, v) => o.QueuedMaxRequests = v, o => o.QueuedMaxRequests,
            "Requests read ahead on one connection before reading pauses."),
        Int("max.connections", 0, int.MaxValue, (o, v) => o.MaxConnections = v, o => o.MaxConnections, "Most client connections at once."),
        Int("fetch.max.bytes", 1024, int.MaxValue, (o, v) => o.FetchMaxBytes = v, o => o.FetchMaxBytes, "Largest fetch response."),
        Int("log.segment.bytes", 14, int.MaxValue, (o, v) => o.LogSegmentBytes = v, o => o.LogSegmentBytes, "Size at which a segment rolls."),
        Int("log.roll.hours", 1, int.MaxValue, (o, v) => o.LogRollMs = v * MsPerHour, o => WholeUnits(o.LogRollMs, MsPerHour),
            "Age at which a segment rolls, in hours (used when log.roll.ms is not set).", synonymOf: "log.roll.ms"),
        Long("log.roll.ms", 1, long.MaxValue, (o, v) => o.LogRollMs = v, o => o.LogRollMs, "Age at which a segment rolls."),
        Long("log.roll.jitter.ms", 0, long.MaxValue, (o, v) => o.LogRollJitterMs = v, o => o.LogRollJitterMs, "Largest random amount taken off a segment's roll age."),
        Int("log.index.interval.bytes", 0, int.MaxValue, (o, v) => o.LogIndexIntervalBytes = v, o => o.LogIndexIntervalBytes,
            "Bytes between offset index entries."),
        Int("log.index.size.max.bytes", 4, int.MaxValue, (o, v) => o.LogIndexSizeMaxBytes = v, o => o.LogIndexSizeMaxBytes,
            "Largest offset index file."),
        Int("log.retention.hours", -1, int.MaxValue, (o, v) => o.LogRetentionMs = Retention(v, MsPerHour), o => WholeUnits(o.LogRetentionMs, MsPerHour),
            "Age after which segments are deleted, in hours (-1: forever).", synonymOf: "log.retention.ms"),
        Int("log.retention.minutes", -1, int.MaxValue, (o, v) => o.LogRetentionMs = Retention(v, MsPerMinute), o => WholeUnits(o.LogRetentionMs, MsPerMinute),
            "Age after which segments are deleted, in minutes (-1: forever).", synonymOf: "log.retention.ms"),
        Long("log.retention.ms", -1, long.MaxValue, (o, v) => o.LogRetentionMs = v, o => o.LogRetentionMs,
            "Age after which segments are deleted (-1: forever)."),
        Long("log.retention.bytes", -1, long.MaxValue, (o, v) => o.LogRetentionBytes = v, o => o.LogRetentionBytes,
            "Size above which a partition's oldest segments are deleted (-1: no limit)."),
        Long("log.retention.check.interval.ms", 1, long.MaxValue, (o, v) => o.LogRetentionCheckIntervalMs = v, o => o.LogRetentionCheckIntervalMs,
            "How often segments are checked for deletion by retention."),
        Long("log.segment.delete.delay.ms", 0, long.MaxValue, (o, v) => o.LogSegmentDeleteDelayMs = v, o => o.LogSegmentDeleteDelayMs,
            "How long a deleted segment's files stay before they are removed."),
        Long("producer.id.expiration.ms", 1, long.MaxValue, (o, v) => o.ProducerIdExpirationMs = v, o => o.ProducerIdExpirationMs,
            "How long a partition keeps the state of a producer that has stopped writing to it."),
        Long("producer.id.expiration.check.interval.ms", 1, long.MaxValue, (o, v) => o.ProducerIdExpirationCheckIntervalMs = v, o => o.ProducerIdExpirationCheckIntervalMs,
            "How often partitions look for expired producers."),
        new("log.cleanup.policy", ConfigRule.ListOf([.. CleanupPolicies]), (o, v) => o.LogCleanupPolicy = v, o => o.LogCleanupPolicy,
            "delete, compact, or compact,delete."),
        new("log.message.timestamp.type", ConfigRule.OneOf([.. TimestampTypes]), (o, v) => o.LogMessageTimestampType = v, o => o.LogMessageTimestampType,
            "Whether record timestamps are the producer's (CreateTime) or the broker's (LogAppendTime)."),
        Long("log.message.timestamp.before.max.ms", 0, long.MaxValue, (o, v) => o.LogMessageTimestampBeforeMaxMs = v, o => o.LogMessageTimestampBeforeMaxMs,
            "How far in the past a CreateTime timestamp may be."),
        Long("log.message.timestamp.after.max.ms", 0, long.MaxValue, (o, v) => o.LogMessageTimestampAfterMaxMs = v, o => o.LogMessageTimestampAfterMaxMs,
            "How far in the future a CreateTime timestamp may be."),
        new("compression.type", ConfigRule.OneOf([.. CompressionTypes]), (o, v) => o.CompressionType = v, o => o.CompressionType,
            "Codec batches are stored with; producer keeps the producer's."),
        Long("log.flush.interval.messages", 1, long.MaxValue, (o, v) => o.LogFlushIntervalMessages = v, o => o.LogFlushIntervalMessages,
            "Messages between fsyncs."),
        Long("log.flush.interval.ms", 0, long.MaxValue, (o, v) => o.LogFlushIntervalMs = v, o => o.LogFlushIntervalMs,
            "Longest time a message waits for an fsync."),
        Long("log.flush.scheduler.interval.ms", 1, long.MaxValue, (o, v) => o.LogFlushSchedulerIntervalMs = v, o => o.LogFlushSchedulerIntervalMs,
            "How often the flusher checks which logs are due for an fsync."),
        Long("log.cleaner.delete.retention.ms", 0, long.MaxValue, (o, v) => o.LogCleanerDeleteRetentionMs = v, o => o.LogCleanerDeleteRetentionMs,
            "How long tombstones stay in compacted logs."),
        Long("log.cleaner.min.compaction.lag.ms", 0, long.MaxValue, (o, v) => o.LogCleanerMinCompactionLagMs = v, o => o.LogCleanerMinCompactionLagMs,
            "Youngest record the cleaner may compact."),
        Long("log.cleaner.max.compaction.lag.ms", 1, long.MaxValue, (o, v) => o.LogCleanerMaxCompactionLagMs = v, o => o.LogCleanerMaxCompactionLagMs,
            "Oldest a record may be before it must be compacted."),
        new("log.cleaner.min.cleanable.ratio", ConfigRule.Double(0, 1),
            (o, v) => o.LogCleanerMinCleanableRatio = double.Parse(v, CultureInfo.InvariantCulture),
            o => o.LogCleanerMinCleanableRatio.ToString(CultureInfo.InvariantCulture),
            "Dirty fraction of a log at which the cleaner compacts it."),
        Bool("log.cleaner.enable", (o, v) => o.LogCleanerEnable = v, o => o.LogCleanerEnable,
            "Run the cleaner that compacts logs whose cleanup.policy contains compact."),
        Int("log.cleaner.threads", 0, int.MaxValue, (o, v) => o.LogCleanerThreads = v, o => o.LogCleanerThreads,
            "Background threads that clean logs."),
        Long("log.cleaner.backoff.ms", 0, long.MaxValue, (o, v) => o.LogCleanerBackoffMs = v, o => o.LogCleanerBackoffMs,
            "Sleep of the cleaner when no log needs cleaning."),
        Long("log.cleaner.dedupe.buffer.size", 0, long.MaxValue, (o, v) => o.LogCleanerDedupeBufferSize = v, o => o.LogCleanerDedupeBufferSize,
            "Memory for the cleaner's key to offset map, across all cleaner threads."),
        Int("min.insync.replicas", 1, int.MaxValue, (o, v) => o.MinInsyncReplicas = v, o => o.MinInsyncReplicas,
            "In-sync replicas an acks=all produce needs."),
        Bool("unclean.leader.election.enable", (o, v) => o.UncleanLeaderElectionEnable = v, o => o.UncleanLeaderElectionEnable,
            "Let an out-of-sync replica become leader, losing data."),
        Long("replica.lag.time.max.ms", 1, long.MaxValue, (o, v) => o.ReplicaLagTimeMaxMs = v, o => o.ReplicaLagTimeMaxMs,
            "A follower that has not caught up to the leader's log end for this long leaves the ISR."),
        Int("replica.fetch.backoff.ms", 0, int.MaxValue, (o, v) => o.ReplicaFetchBackoffMs = v, o => o.ReplicaFetchBackoffMs,
            "Pause of a replica fetcher after a failed fetch or connection."),
        Int("replica.fetch.max.bytes", 0, int.MaxValue, (o, v) => o.ReplicaFetchMaxBytes = v, o => o.ReplicaFetchMaxBytes,
            "Bytes a replica fetch asks for per partition (the first batch is returned even if larger)."),
        Int("replica.fetch.response.max.bytes", 0, int.MaxValue, (o, v) => o.ReplicaFetchResponseMaxBytes = v, o => o.ReplicaFetchResponseMaxBytes,
            "Bytes a replica fetch asks for in all."),
        Int("replica.fetch.wait.max.ms", 0, int.MaxValue, (o, v) => o.ReplicaFetchWaitMaxMs = v, o => o.ReplicaFetchWaitMaxMs,
            "Longest a replica fetch waits at the leader for replica.fetch.min.bytes."),
        Int("replica.fetch.min.bytes", 1, int.MaxValue, (o, v) => o.ReplicaFetchMinBytes = v, o => o.ReplicaFetchMinBytes,
            "Bytes a replica fetch waits for at the leader."),
        Int("group.initial.rebalance.delay.ms", 0, int.MaxValue, (o, v) => o.GroupInitialRebalanceDelayMs = v, o => o.GroupInitialRebalanceDelayMs,
            "How long a new group waits for more members before its first rebalance."),
        Int("group.min.session.timeout.ms", 0, int.MaxValue, (o, v) => o.GroupMinSessionTimeoutMs = v, o => o.GroupMinSessionTimeoutMs,
            "Shortest session timeout a group member may ask for."),
        Int("group.max.session.timeout.ms", 0, int.MaxValue, (o, v) => o.GroupMaxSessionTimeoutMs = v, o => o.GroupMaxSessionTimeoutMs,
            "Longest session timeout a group member may ask for."),
        Int("group.max.size", 1, int.MaxValue, (o, v) => o.GroupMaxSize = v, o => o.GroupMaxSize, "Most members in one group."),
        Int("offsets.topic.num.partitions", 1, int.MaxValue, (o, v) => o.OffsetsTopicNumPartitions = v, o => o.OffsetsTopicNumPartitions,
            "Partitions of __consumer_offsets (fixed once the topic exists)."),
        Int("offsets.topic.replication.factor", 1, short.MaxValue, (o, v) => o.OffsetsTopicReplicationFactor = (short)v, o => o.OffsetsTopicReplicationFactor,
            "Replication factor of __consumer_offsets, capped at the live brokers."),
        Int("offsets.topic.segment.bytes", 1, int.MaxValue, (o, v) => o.OffsetsTopicSegmentBytes = v, o => o.OffsetsTopicSegmentBytes,
            "Segment size of __consumer_offsets."),
        Int("offsets.commit.timeout.ms", 1, int.MaxValue, (o, v) => o.OffsetsCommitTimeoutMs = v, o => o.OffsetsCommitTimeoutMs,
            "How long an offset commit waits for every in-sync replica of __consumer_offsets before it fails."),
        Int("offsets.retention.minutes", 1, int.MaxValue, (o, v) => o.OffsetsRetentionMs = v * MsPerMinute, o => WholeUnits(o.OffsetsRetentionMs, MsPerMinute),
            "How long an empty group's committed offsets are kept, in minutes."),
        Long("offsets.retention.check.interval.ms", 1, long.MaxValue, (o, v) => o.OffsetsRetentionCheckIntervalMs = v, o => o.OffsetsRetentionCheckIntervalMs,
            "How often expired committed offsets are looked for."),
        Int("offset.metadata.max.bytes", 0, int.MaxValue, (o, v) => o.OffsetMetadataMaxBytes = v, o => o.OffsetMetadataMaxBytes,
            "Longest metadata string a commit may carry."),
        Int("transaction.state.log.num.partitions", 1, int.MaxValue, (o, v) => o.TransactionStateLogNumPartitions = v, o => o.TransactionStateLogNumPartitions,
            "Partitions of __transaction_state (fixed once the topic exists)."),
        Int("transaction.state.log.replication.factor", 1, short.MaxValue, (o, v) => o.TransactionStateLogReplicationFactor = (short)v, o => o.TransactionStateLogReplicationFactor,
            "Replication factor of __transaction_state, capped at the live brokers."),
        Int("transaction.state.log.min.isr", 1, int.MaxValue, (o, v) => o.TransactionStateLogMinIsr = v, o => o.TransactionStateLogMinIsr,
            "min.insync.replicas of __transaction_state, capped at its replication factor."),
        Int("request.timeout.ms", 1, int.MaxValue, (o, v) => o.RequestTimeoutMs = v, o => o.RequestTimeoutMs,
            "How long a write to __transaction_state waits for every in-sync replica before it fails."),
        Int("transaction.state.log.segment.bytes", 1, int.MaxValue, (o, v) => o.TransactionStateLogSegmentBytes = v, o => o.TransactionStateLogSegmentBytes,
            "Segment size of __transaction_state."),
        Int("transaction.max.timeout.ms", 1, int.MaxValue, (o, v) => o.TransactionMaxTimeoutMs = v, o => o.TransactionMaxTimeoutMs,
            "Longest transaction timeout a producer may ask for."),
        Int("transaction.abort.timed.out.transaction.cleanup.interval.ms", 1, int.MaxValue,
            (o, v) => o.TransactionAbortTimedOutTransactionCleanupIntervalMs = v, o => o.TransactionAbortTimedOutTransactionCleanupIntervalMs,
            "How often transactions past their timeout are looked for and aborted."),
        Int("transactional.id.expiration.ms", 1, int.MaxValue, (o, v) => o.TransactionalIdExpirationMs = v, o => o.TransactionalIdExpirationMs,
            "How long a transactional id without a transaction is kept after its last update."),
        Int("transaction.remove.expired.transaction.cleanup.interval.ms", 1, int.MaxValue,
            (o, v) => o.TransactionRemoveExpiredTransactionCleanupIntervalMs = v, o => o.TransactionRemoveExpiredTransactionCleanupIntervalMs,
            "How often expired transactional ids are looked for."),
    ];

    private static long Retention(int value, long unit) => value < 0 ? -1 : value * unit;

    private static string? WholeUnits(long ms, long unit) =>
        ms < 0 ? "-1" : ms % unit == 0 ? (ms / unit).ToString(CultureInfo.InvariantCulture) : null;

    private static BrokerConfigDefinition Int(string name, int min, int max, Action<BrokerOptions, int> set, Func<BrokerOptions, int> get, string doc, string? synonymOf = null) =>
        new(name, ConfigRule.Int(min, max), (o, v) => set(o, int.Parse(v, CultureInfo.InvariantCulture)),
            o => get(o).ToString(CultureInfo.InvariantCulture), doc, synonymOf);

    private static BrokerConfigDefinition Long(string name, long min, long max, Action<BrokerOptions, long> set, Func<BrokerOptions, long> get, string doc) =>
        new(name, ConfigRule.Long(min, max), (o, v) => set(o, long.Parse(v, CultureInfo.InvariantCulture)),
            o => get(o).ToString(CultureInfo.InvariantCulture), doc);

    private static BrokerConfigDefinition Int(string name, int min, int max, Action<BrokerOptions, int> set, Func<BrokerOptions, string?> get, string doc, string? synonymOf = null) =>
        new(name, ConfigRule.Int(min, max), (o, v) => set(o, int.Parse(v, CultureInfo.InvariantCulture)), get, doc, synonymOf);

    private static BrokerConfigDefinition Bool(string name, Action<BrokerOptions, bool> set, Func<BrokerOptions, bool> get, string doc) =>
        new(name, ConfigRule.Bool(), (o, v) => set(o, v == "true"), o => get(o) ? "true" : "false", doc);
}
