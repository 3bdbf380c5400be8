using Freshet.Broker.Topics;
using Freshet.Storage;

namespace Freshet.Broker.Replication;

internal sealed partial class ReplicaManager
{
    /// <summary>Opens the logs of every known topic, creating any that a crash left without a directory.</summary>
    public void LoadPartitions(IReadOnlyList<TopicDefinition> topics)
    {
        var byTopic = topics.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _logs.LoadLogs(tp => byTopic.TryGetValue(tp.Topic, out var topic) ? LogConfigFor(topic) : LogConfigs.For(_options, new Dictionary<string, string>()));
        foreach (var topic in topics)
        {
            CreatePartitions(topic);
        }
    }

    /// <summary>The single-node path: every partition of the topic, led here as its only replica.</summary>
    public IReadOnlyList<Partition> CreatePartitions(TopicDefinition topic)
    {
        var config = LogConfigFor(topic);
        var ids = new TopicPartition[topic.PartitionCount];
        var missing = new List<TopicPartition>();
        for (var index = 0; index < ids.Length; index++)
        {
            ids[index] = new TopicPartition(topic.Name, index);
            if (!_logs.TryGetLog(ids[index], out _))
            {
                missing.Add(ids[index]);
            }
        }
        // The missing logs in one call, so that the log manager can create their directories in parallel.
        if (missing.Count > 0)
        {
            _logs.CreateLogs(missing, topic.Id, config);
        }
        var created = new List<Partition>(topic.PartitionCount);
        for (var index = 0; index < topic.PartitionCount; index++)
        {
            var id = ids[index];
            var log = _logs.TryGetLog(id, out var existing) ? existing : throw new InvalidOperationException($"{id} has no log after creation.");
            var partition = _partitions.GetOrAdd(id, _ => NewPartition(id, log));
            partition.MakeSoleLeader();
            partition.MinInSyncReplicas = LogConfigs.MinInSyncReplicas(_options, topic.ConfigOverrides);
            created.Add(partition);
        }
        return created;
    }

    /// <summary>Gives every partition of the topic its new log settings; the next append follows them.</summary>
    public void ApplyConfig(TopicDefinition topic)
    {
        var config = LogConfigFor(topic);
        var minInSyncReplicas = LogConfigs.MinInSyncReplicas(_options, topic.ConfigOverrides);
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
        var ids = new TopicPartition[topic.PartitionCount];
        for (var index = 0; index < ids.Length; index++)
        {
            ids[index] = new TopicPartition(topic.Name, index);
        }
        RemovePartitions(ids, deleteLogs: true);
    }
}
