namespace Freshet.Broker.Configuration;

/// <summary>
/// The broker's settings, one property per Kafka broker config (the Kafka name is in each
/// comment). Defaults are Kafka's, except where Freshet's zero-configuration start differs
/// (loopback listener, ./data). Values are checked by <c>BrokerOptionsValidator</c>.
/// </summary>
public sealed class BrokerOptions
{
    /// <summary>node.id</summary>
    public int NodeId { get; set; } = 1;

    /// <summary>process.roles: "broker,controller" (a combined node, the default), "broker" or "controller".</summary>
    public string ProcessRoles { get; set; } = "broker,controller";

    /// <summary>True when process.roles includes broker: this node hosts partitions and serves clients.</summary>
    public bool IsBroker => ConfigRule.SplitList(ProcessRoles).Contains("broker");

    /// <summary>True when process.roles includes controller: this node is a voter of the controller quorum.</summary>
    public bool IsController => ConfigRule.SplitList(ProcessRoles).Contains("controller");

    /// <summary>controller.quorum.bootstrap.servers: host:port of the controllers' Kafka-protocol listeners, for broker-only nodes.</summary>
    public string? ControllerQuorumBootstrapServers { get; set; }

    /// <summary>controller.quorum.voters: id@host:port of every controller; null means this node alone.</summary>
    public string? ControllerQuorumVoters { get; set; }

    /// <summary>The CONTROLLER entry of listeners: where this node's Raft endpoint binds; port 0 picks a free port.</summary>
    public string ControllerHost { get; set; } = "127.0.0.1";

    public int ControllerPort { get; set; }

    /// <summary>metadata.log.dir: holds __cluster_metadata-0; the first log dir when null.</summary>
    public string? MetadataLogDir { get; set; }

    /// <summary>controller.quorum.election.timeout.ms</summary>
    public int ControllerQuorumElectionTimeoutMs { get; set; } = 1000;

    /// <summary>controller.quorum.request.timeout.ms</summary>
    public int ControllerQuorumRequestTimeoutMs { get; set; } = 2000;

    /// <summary>broker.session.timeout.ms: a broker without a heartbeat for this long is fenced.</summary>
    public int BrokerSessionTimeoutMs { get; set; } = 9000;

    /// <summary>broker.heartbeat.interval.ms</summary>
    public int BrokerHeartbeatIntervalMs { get; set; } = 2000;

    /// <summary>broker.rack: used by rack-aware replica placement and follower fetching.</summary>
    public string? BrokerRack { get; set; }

    /// <summary>
    /// replica.selector.class: how a partition leader picks the replica a consumer reads from (KIP-392); null means
    /// the leader always serves consumers, as Kafka's default.
    /// </summary>
    public string? ReplicaSelectorClass { get; set; }

    /// <summary>auto.leader.rebalance.enable</summary>
    public bool AutoLeaderRebalanceEnable { get; set; } = true;

    /// <summary>leader.imbalance.check.interval.seconds</summary>
    public int LeaderImbalanceCheckIntervalSeconds { get; set; } = 300;

    /// <summary>leader.imbalance.per.broker.percentage: the share of a broker's preferred partitions led elsewhere that triggers balancing.</summary>
    public int LeaderImbalancePerBrokerPercentage { get; set; } = 10;

    /// <summary>listeners: host and port the broker binds; port 0 picks a free port.</summary>
    public string ListenHost { get; set; } = "127.0.0.1";

    public int ListenPort { get; set; } = 9092;

    /// <summary>advertised.listeners: what Metadata tells clients; null means the bound address.</summary>
    public string? AdvertisedHost { get; set; }

    public int? AdvertisedPort { get; set; }

    /// <summary>log.dirs (log.dir)</summary>
    public IList<string> LogDirs { get; set; } = ["./data"];

    /// <summary>cluster id written to meta.properties on first start; generated when null.</summary>
    public string? ClusterId { get; set; }

    /// <summary>num.partitions</summary>
    public int NumPartitions { get; set; } = 1;

    /// <summary>default.replication.factor</summary>
    public short DefaultReplicationFactor { get; set; } = 1;

    /// <summary>auto.create.topics.enable</summary>
    public bool AutoCreateTopicsEnable { get; set; } = true;

    /// <summary>message.max.bytes: largest record batch accepted, after compression.</summary>
    public int MessageMaxBytes { get; set; } = 1048588;

    /// <summary>socket.request.max.bytes: largest request frame, checked before it is buffered.</summary>
    public int SocketRequestMaxBytes { get; set; } = 104857600;

    /// <summary>queued.max.requests: requests read ahead on one connection before reading pauses.</summary>
    public int QueuedMaxRequests { get; set; } = 500;

    /// <summary>max.connections</summary>
    public int MaxConnections { get; set; } = int.MaxValue;

    /// <summary>fetch.max.bytes (broker side cap on a whole fetch response)</summary>
    public int FetchMaxBytes { get; set; } = 57671680;

    /// <summary>log.segment.bytes</summary>
    public int LogSegmentBytes { get; set; } = 1073741824;

    /// <summary>log.roll.ms (log.roll.hours = 168)</summary>
    public long LogRollMs { get; set; } = 168L * 60 * 60 * 1000;

    /// <summary>log.roll.jitter.ms: up to this much is taken off each segment's roll age, so segments created together do not all roll at once.</summary>
    public long LogRollJitterMs { get; set; }

    /// <summary>log.index.interval.bytes</summary>
    public int LogIndexIntervalBytes { get; set; } = 4096;

    /// <summary>log.index.size.max.bytes</summary>
    public int LogIndexSizeMaxBytes { get; set; } = 10485760;

    /// <summary>log.retention.ms (log.retention.hours = 168)</summary>
    public long LogRetentionMs { get; set; } = 168L * 60 * 60 * 1000;

    /// <summary>log.retention.bytes</summary>
    public long LogRetentionBytes { get; set; } = -1;

    /// <summary>log.retention.check.interval.ms: how often segments are checked against retention and the log start offset.</summary>
    public long LogRetentionCheckIntervalMs { get; set; } = 300000;

    /// <summary>log.segment.delete.delay.ms: how long a deleted segment's files stay for reads under way (topic: file.delete.delay.ms).</summary>
    public long LogSegmentDeleteDelayMs { get; set; } = 60000;

    /// <summary>producer.id.expiration.ms: a producer idle this long without an open transaction is forgotten by a partition.</summary>
    public long ProducerIdExpirationMs { get; set; } = 86400000;

    /// <summary>producer.id.expiration.check.interval.ms</summary>
    public long ProducerIdExpirationCheckIntervalMs { get; set; } = 600000;

    /// <summary>log.cleanup.policy</summary>
    public string LogCleanupPolicy { get; set; } = "delete";

    /// <summary>log.message.timestamp.type: CreateTime or LogAppendTime.</summary>
    public string LogMessageTimestampType { get; set; } = "CreateTime";

    /// <summary>compression.type: producer keeps what the producer sent.</summary>
    public string CompressionType { get; set; } = "producer";

    /// <summary>log.flush.interval.messages: fsync after this many messages (Long.MaxValue leaves it to the OS).</summary>
    public long LogFlushIntervalMessages { get; set; } = long.MaxValue;

    /// <summary>min.insync.replicas</summary>
    public int MinInsyncReplicas { get; set; } = 1;

    /// <summary>log.flush.interval.ms: fsync after a message has waited this long (Long.MaxValue leaves it to the OS).</summary>
    public long LogFlushIntervalMs { get; set; } = long.MaxValue;

    /// <summary>log.flush.scheduler.interval.ms: how often the flusher looks for logs whose flush.ms has passed (Long.MaxValue: never).</summary>
    public long LogFlushSchedulerIntervalMs { get; set; } = long.MaxValue;

    /// <summary>log.cleaner.delete.retention.ms: how long tombstones stay readable in compacted logs.</summary>
    public long LogCleanerDeleteRetentionMs { get; set; } = 24L * 60 * 60 * 1000;

    /// <summary>log.cleaner.min.compaction.lag.ms</summary>
    public long LogCleanerMinCompactionLagMs { get; set; }

    /// <summary>log.cleaner.max.compaction.lag.ms</summary>
    public long LogCleanerMaxCompactionLagMs { get; set; } = long.MaxValue;

    /// <summary>log.cleaner.min.cleanable.ratio</summary>
    public double LogCleanerMinCleanableRatio { get; set; } = 0.5;

    /// <summary>log.cleaner.enable: run the cleaner that compacts logs with cleanup.policy=compact.</summary>
    public bool LogCleanerEnable { get; set; } = true;

    /// <summary>log.cleaner.threads</summary>
    public int LogCleanerThreads { get; set; } = 1;

    /// <summary>log.cleaner.backoff.ms: how long the cleaner sleeps when no log needs cleaning.</summary>
    public long LogCleanerBackoffMs { get; set; } = 15000;

    /// <summary>log.cleaner.dedupe.buffer.size: memory for the key → offset map, shared by the cleaner threads.</summary>
    public long LogCleanerDedupeBufferSize { get; set; } = 128L * 1024 * 1024;

    /// <summary>unclean.leader.election.enable</summary>
    public bool UncleanLeaderElectionEnable { get; set; }

    /// <summary>replica.lag.time.max.ms</summary>
    public long ReplicaLagTimeMaxMs { get; set; } = 30_000;

    /// <summary>replica.fetch.backoff.ms</summary>
    public int ReplicaFetchBackoffMs { get; set; } = 1_000;

    /// <summary>replica.fetch.max.bytes</summary>
    public int ReplicaFetchMaxBytes { get; set; } = 1024 * 1024;

    /// <summary>replica.fetch.response.max.bytes</summary>
    public int ReplicaFetchResponseMaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>replica.fetch.wait.max.ms</summary>
    public int ReplicaFetchWaitMaxMs { get; set; } = 500;

    /// <summary>replica.fetch.min.bytes</summary>
    public int ReplicaFetchMinBytes { get; set; } = 1;

    /// <summary>log.message.timestamp.before.max.ms: how far in the past a CreateTime may be.</summary>
    public long LogMessageTimestampBeforeMaxMs { get; set; } = long.MaxValue;

    /// <summary>log.message.timestamp.after.max.ms: how far in the future a CreateTime may be (Kafka 4 default: 1 hour).</summary>
    public long LogMessageTimestampAfterMaxMs { get; set; } = 60L * 60 * 1000;

    /// <summary>group.initial.rebalance.delay.ms: how long a new group waits for more members before its first rebalance.</summary>
    public int GroupInitialRebalanceDelayMs { get; set; } = 3000;

    /// <summary>group.min.session.timeout.ms</summary>
    public int GroupMinSessionTimeoutMs { get; set; } = 6000;

    /// <summary>group.max.session.timeout.ms</summary>
    public int GroupMaxSessionTimeoutMs { get; set; } = 1800000;

    /// <summary>group.max.size: most members in one classic group.</summary>
    public int GroupMaxSize { get; set; } = int.MaxValue;

    /// <summary>offsets.topic.num.partitions: partitions of __consumer_offsets, fixed once it exists.</summary>
    public int OffsetsTopicNumPartitions { get; set; } = 50;

    /// <summary>offsets.topic.replication.factor: capped at the live brokers.</summary>
    public short OffsetsTopicReplicationFactor { get; set; } = 3;

    /// <summary>offsets.topic.segment.bytes</summary>
    public int OffsetsTopicSegmentBytes { get; set; } = 104857600;

    /// <summary>offsets.commit.timeout.ms: how long an offset commit waits for every in-sync replica of __consumer_offsets.</summary>
    public int OffsetsCommitTimeoutMs { get; set; } = 5000;

    /// <summary>offsets.retention.minutes: how long an empty group's committed offsets are kept (7 days).</summary>
    public long OffsetsRetentionMs { get; set; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary>offsets.retention.check.interval.ms</summary>
    public long OffsetsRetentionCheckIntervalMs { get; set; } = 600000;

    /// <summary>offset.metadata.max.bytes: longest commit metadata string.</summary>
    public int OffsetMetadataMaxBytes { get; set; } = 4096;

    /// <summary>transaction.state.log.num.partitions: partitions of __transaction_state, fixed once it exists.</summary>
    public int TransactionStateLogNumPartitions { get; set; } = 50;

    /// <summary>transaction.state.log.replication.factor: capped at the live brokers.</summary>
    public short TransactionStateLogReplicationFactor { get; set; } = 3;

    /// <summary>transaction.state.log.min.isr: capped at the topic's replication factor.</summary>
    public int TransactionStateLogMinIsr { get; set; } = 2;

    /// <summary>request.timeout.ms: how long a write to __transaction_state waits for every in-sync replica.</summary>
    public int RequestTimeoutMs { get; set; } = 30000;

    /// <summary>transaction.state.log.segment.bytes</summary>
    public int TransactionStateLogSegmentBytes { get; set; } = 104857600;

    /// <summary>transaction.max.timeout.ms: a longer transaction.timeout.ms gets INVALID_TRANSACTION_TIMEOUT (15 minutes).</summary>
    public int TransactionMaxTimeoutMs { get; set; } = 900000;

    /// <summary>transaction.abort.timed.out.transaction.cleanup.interval.ms</summary>
    public int TransactionAbortTimedOutTransactionCleanupIntervalMs { get; set; } = 10000;

    /// <summary>transactional.id.expiration.ms: a transactional id idle this long is forgotten (7 days).</summary>
    public int TransactionalIdExpirationMs { get; set; } = 604800000;

    /// <summary>transaction.remove.expired.transaction.cleanup.interval.ms</summary>
    public int TransactionRemoveExpiredTransactionCleanupIntervalMs { get; set; } = 3600000;

    /// <summary>
    /// Settings given by name (file, command line or environment) that Freshet accepts but
    /// does not act on yet, kept so DescribeConfigs shows what the operator set.
    /// </summary>
    public IDictionary<string, string> OtherSettings { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
