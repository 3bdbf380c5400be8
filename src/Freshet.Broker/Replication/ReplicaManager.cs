using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Freshet.Broker.Configuration;
using Freshet.Broker.Topics;
using Freshet.Storage;

namespace Freshet.Broker.Replication;

/// <summary>The partitions this broker hosts, each backed by a log from the <see cref="LogManager"/>.</summary>
internal sealed class ReplicaManager(LogManager logs, BrokerOptions options)
{
    private readonly ConcurrentDictionary<TopicPartition, Partition> _partitions = new();

    public int PartitionCount => _partitions.Count;

    public LogConfig LogConfigFor(TopicDefinition topic) => LogConfigs.For(options, topic.ConfigOverrides);

    /// <summary>Opens the logs of every known topic, creating any that a crash left without a directory.</summary>
    public void LoadPartitions(IReadOnlyList<TopicDefinition> topics)
    {
        var byTopic = topics.ToDictionary(t => t.Name, StringComparer.Ordinal);
        logs.LoadLogs(tp => byTopic.TryGetValue(tp.Topic, out var topic) ? LogConfigFor(topic) : LogConfigs.For(options, new Dictionary<string, string>()));
        foreach (var topic in topics)
        {
            CreatePartitions(topic);
        }
    }

    public IReadOnlyList<Partition> CreatePartitions(TopicDefinition topic)
    {
        var config = LogConfigFor(topic);
        var ids = new TopicPartition[topic.PartitionCount];
        var missing = new List<TopicPartition>();
        for (var index = 0; index < ids.Length; index++)
        {
            ids[index] = new TopicPartition(topic.Name, index);
            if (!logs.TryGetLog(ids[index], out _))
            {
                missing.Add(ids[index]);
            }
        }
        // The missing logs in one call, so that the log manager can create their directories in parallel.
        if (missing.Count > 0)
        {
            logs.CreateLogs(missing, topic.Id, config);
        }
        var created = new List<Partition>(topic.PartitionCount);
        for (var index = 0; index < topic.PartitionCount; index++)
        {
            var id = ids[index];
            var log = logs.TryGetLog(id, out var existing) ? existing : throw new InvalidOperationException($"{id} has no log after creation.");
            var partition = _partitions.GetOrAdd(id, _ =>
            {
                // The sole in-sync replica is the leader, so its high watermark is its log end offset, also when the
                // replication-offset checkpoint is older than the log (after a crash), as Kafka's leader election sets it.
                log.HighWatermark = log.LogEndOffset;
                return new Partition(id, topic.Id, log);
            });
            partition.MinInSyncReplicas = LogConfigs.MinInSyncReplicas(options, topic.ConfigOverrides);
            created.Add(partition);
        }
        return created;
    }

    /// <summary>Gives every partition of the topic its new log settings; the next append follows them.</summary>
    public void ApplyConfig(TopicDefinition topic)
    {
        var config = LogConfigFor(topic);
        var minInSyncReplicas = LogConfigs.MinInSyncReplicas(options, topic.ConfigOverrides);
        for (var index = 0; index < topic.PartitionCount; index++)
        {
            if (_partitions.TryGetValue(new TopicPartition(topic.Name, index), out var partition))
            {
                partition.Log.Config = config;
                partition.MinInSyncReplicas = minInSyncReplicas;
            }
        }
    }

    public void DeletePartitions(TopicDefinition topic)
    {
        for (var index = 0; index < topic.PartitionCount; index++)
        {
            var id = new TopicPartition(topic.Name, index);
            if (_partitions.TryRemove(id, out _))
            {
                logs.DeleteLog(id);
            }
        }
    }

    public bool TryGetPartition(string topic, int partition, [NotNullWhen(true)] out Partition? result) =>
        _partitions.TryGetValue(new TopicPartition(topic, partition), out result);
}
