using Freshet.Broker.Configuration;
using Freshet.Broker.Diagnostics;
using Freshet.Broker.Replication;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Topics;

/// <summary>The outcome of a topic operation: a Kafka error code and, on failure, why.</summary>
internal readonly record struct TopicResult(ErrorCode Error, string? Message, TopicDefinition? Topic)
{
    public static TopicResult Fail(ErrorCode error, string message) => new(error, message, null);
}

/// <summary>
/// Creates and deletes topics with Kafka's checks, for CreateTopics, DeleteTopics and
/// auto-creation on Metadata. One broker, so the replication factor can only be 1.
/// </summary>
internal sealed class TopicAdmin(TopicCatalog catalog, ReplicaManager replicas, BrokerOptions options, ILogger logger)
{
    private const int LiveBrokers = 1;

    public TopicResult Create(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, bool validateOnly)
    {
        if (!TopicNameRules.IsValid(name, out var nameError))
        {
            return TopicResult.Fail(ErrorCode.InvalidTopicException, nameError);
        }
        if (catalog.TryGet(name, out _))
        {
            return TopicResult.Fail(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
        }
        if (partitions == -1)
        {
            partitions = options.NumPartitions;
        }
        if (partitions <= 0)
        {
            return TopicResult.Fail(ErrorCode.InvalidPartitions, $"Number of partitions must be larger than 0 (was {partitions}).");
        }
        if (replicationFactor == -1)
        {
            replicationFactor = options.DefaultReplicationFactor;
        }
        if (replicationFactor <= 0)
        {
            return TopicResult.Fail(ErrorCode.InvalidReplicationFactor, $"Replication factor must be larger than 0 (was {replicationFactor}).");
        }
        if (replicationFactor > LiveBrokers)
        {
            return TopicResult.Fail(ErrorCode.InvalidReplicationFactor, $"Replication factor {replicationFactor} is larger than the {LiveBrokers} available broker(s).");
        }
        foreach (var (key, value) in configs)
        {
            if (!TopicConfigDefinitions.TryValidate(key, value, out var configError))
            {
                return TopicResult.Fail(ErrorCode.InvalidConfig, configError);
            }
        }
        var topic = new TopicDefinition(name, KafkaUuid.NewRandom(), partitions, new Dictionary<string, string>(configs, StringComparer.Ordinal));
        if (validateOnly)
        {
            return new TopicResult(ErrorCode.None, null, topic);
        }
        if (!catalog.TryAdd(topic))
        {
            return TopicResult.Fail(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
        }
        replicas.CreatePartitions(topic);
        BrokerLog.TopicCreated(logger, topic.Name, topic.Id.ToString(), topic.PartitionCount);
        return new TopicResult(ErrorCode.None, null, topic);
    }

    public TopicResult Delete(string name)
    {
        if (!catalog.TryRemove(name, out var topic))
        {
            return TopicResult.Fail(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
        }
        replicas.DeletePartitions(topic);
        BrokerLog.TopicDeleted(logger, name);
        return new TopicResult(ErrorCode.None, null, topic);
    }
}
