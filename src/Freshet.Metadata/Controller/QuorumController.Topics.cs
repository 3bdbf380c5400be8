using System.Collections.Immutable;
using Freshet.Metadata.Image;
using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Controller;

/// <summary>Topic creation and deletion, and partitions added to a topic.</summary>
public sealed partial class QuorumController
{
    public Task<CreateTopicReply> CreateTopicAsync(CreateTopicSpec spec, CancellationToken token = default) =>
        SubmitAsync(t => CreateTopicCoreAsync(spec, t), CreateTopicReply.Failed, token);

    /// <summary>Grows a topic to <paramref name="totalCount"/> partitions; <paramref name="assignments"/> are for the new ones only.</summary>
    public Task<ControllerReply> CreatePartitionsAsync(
        string topic, int totalCount, IReadOnlyList<IReadOnlyList<int>>? assignments = null, bool validateOnly = false, CancellationToken token = default) =>
        SubmitAsync(t => CreatePartitionsCoreAsync(topic, totalCount, assignments, validateOnly, t), Failed, token);

    public Task<ControllerReply> DeleteTopicAsync(string name, CancellationToken token = default) =>
        SubmitAsync(t => DeleteTopicCoreAsync(_quorum.Image.TopicByName(name), ErrorCode.UnknownTopicOrPartition, t), Failed, token);

    public Task<ControllerReply> DeleteTopicAsync(KafkaUuid topicId, CancellationToken token = default) =>
        SubmitAsync(t => DeleteTopicCoreAsync(_quorum.Image.TopicsById.GetValueOrDefault(topicId), ErrorCode.UnknownTopicId, t), Failed, token);

    private static ControllerReply Failed(ErrorCode error, string? message) => new(error, message);

    private async Task<CreateTopicReply> CreateTopicCoreAsync(CreateTopicSpec spec, CancellationToken token)
    {
        var image = _quorum.Image;
        if (image.TopicIdsByName.ContainsKey(spec.Name))
            return CreateTopicReply.Failed(ErrorCode.TopicAlreadyExists, $"Topic '{spec.Name}' already exists.");

        List<ImmutableArray<int>> assignments;
        if (spec.Assignments is { } manual)
        {
            if (manual.Count == 0)
                return CreateTopicReply.Failed(ErrorCode.InvalidReplicaAssignment, "The manual assignment has no partitions.");
            var error = ValidateManualAssignments(image, manual, out assignments);
            if (error is not null)
                return error;
        }
        else
        {
            if (spec.NumPartitions <= 0)
                return CreateTopicReply.Failed(ErrorCode.InvalidPartitions, $"Number of partitions was set to an invalid non-positive value {spec.NumPartitions}.");
            var placement = PlaceReplicas(image, spec.NumPartitions, spec.ReplicationFactor, out var message);
            if (placement is null)
                return CreateTopicReply.Failed(ErrorCode.InvalidReplicationFactor, message);
            assignments = placement;
        }
        var topicId = KafkaUuid.NewRandom();
        if (spec.ValidateOnly)
            return new CreateTopicReply(ErrorCode.None, null, topicId, assignments);

        var records = new List<MetadataRecord>(2 + assignments.Count + (spec.Configs?.Count ?? 0))
        {
            MetadataRecord.Of(new TopicRecord { Name = spec.Name, TopicId = topicId }),
        };
        AddPartitionRecords(image, topicId, firstPartition: 0, assignments, records);
        if (spec.Configs is { } configs)
        {
            foreach (var (name, value) in configs)
                records.Add(MetadataRecord.Of(new ConfigRecord { ResourceType = ConfigResource.TopicType, ResourceName = spec.Name, Name = name, Value = value }));
        }
        await CommitAsync(records, token).ConfigureAwait(false);
        return new CreateTopicReply(ErrorCode.None, null, topicId, assignments);
    }

    private async Task<ControllerReply> CreatePartitionsCoreAsync(
        string name, int totalCount, IReadOnlyList<IReadOnlyList<int>>? manual, bool validateOnly, CancellationToken token)
    {
        var image = _quorum.Image;
        if (image.TopicByName(name) is not { } topic)
            return new ControllerReply(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
        var current = topic.Partitions.Count;
        if (totalCount <= current)
        {
            return new ControllerReply(ErrorCode.InvalidPartitions,
                totalCount == current ? $"Topic already has {current} partitions." : $"Topic currently has {current} partitions, which is higher than the requested {totalCount}.");
        }
        var adding = totalCount - current;
        List<ImmutableArray<int>> assignments;
        if (manual is not null)
        {
            if (manual.Count != adding)
                return new ControllerReply(ErrorCode.InvalidReplicaAssignment, $"Attempted to add {adding} additional partitions, but only {manual.Count} assignments were supplied.");
            if (ValidateManualAssignments(image, manual, out assignments) is { } error)
                return new ControllerReply(error.Error, error.Message);
        }
        else
        {
            var replicationFactor = topic.Partitions.TryGetValue(0, out var first) ? first.Replicas.Length : 1;
            var placement = PlaceReplicas(image, adding, replicationFactor, out var message);
            if (placement is null)
                return new ControllerReply(ErrorCode.InvalidReplicationFactor, message);
            assignments = placement;
        }
        if (validateOnly)
            return ControllerReply.Ok;
        var records = new List<MetadataRecord>(adding);
        AddPartitionRecords(image, topic.Id, current, assignments, records);
        await CommitAsync(records, token).ConfigureAwait(false);
        return ControllerReply.Ok;
    }

    private async Task<ControllerReply> DeleteTopicCoreAsync(TopicImage? topic, ErrorCode unknown, CancellationToken token)
    {
        if (topic is null)
            return new ControllerReply(unknown, "The topic does not exist.");
        await CommitAsync([MetadataRecord.Of(new RemoveTopicRecord { TopicId = topic.Id })], token).ConfigureAwait(false);
        return ControllerReply.Ok;
    }

    /// <summary>Places replicas over the unfenced brokers; null (with the reason) when there are too few.</summary>
    private List<ImmutableArray<int>>? PlaceReplicas(MetadataImage image, int partitions, int replicationFactor, out string? message)
    {
        var usable = new List<PlacementBroker>();
        foreach (var broker in image.Brokers.Values)
        {
            if (IsEligible(image, broker.Id))
                usable.Add(new PlacementBroker(broker.Id, broker.Rack));
        }
        if (replicationFactor <= 0 || replicationFactor > usable.Count)
        {
            message = replicationFactor <= 0
                ? $"Replication factor must be larger than 0, not {replicationFactor}."
                : $"Unable to replicate the partition {replicationFactor} time(s): The target replication factor of {replicationFactor} cannot be reached because only {usable.Count} broker(s) are registered.";
            return null;
        }
        message = null;
        return _placer.Place(partitions, replicationFactor, usable);
    }

    /// <summary>
    /// Kafka's checks of a manual assignment: non-empty, one replication factor, no duplicates, every
    /// broker registered and at least one of each partition's brokers able to lead.
    /// </summary>
    private CreateTopicReply? ValidateManualAssignments(MetadataImage image, IReadOnlyList<IReadOnlyList<int>> manual, out List<ImmutableArray<int>> assignments)
    {
        assignments = new List<ImmutableArray<int>>(manual.Count);
        for (var p = 0; p < manual.Count; p++)
        {
            var replicas = manual[p];
            if (replicas.Count == 0)
                return CreateTopicReply.Failed(ErrorCode.InvalidReplicaAssignment, $"The manual partition assignment for partition {p} is empty.");
            if (replicas.Count != manual[0].Count)
            {
                return CreateTopicReply.Failed(ErrorCode.InvalidReplicaAssignment,
                    $"The manual partition assignment includes a partition with {replicas.Count} replica(s), but this is not consistent with previous partitions, which have {manual[0].Count} replica(s).");
            }
            if (replicas.Distinct().Count() != replicas.Count)
                return CreateTopicReply.Failed(ErrorCode.InvalidReplicaAssignment, $"The manual partition assignment for partition {p} contains duplicate brokers.");
            foreach (var broker in replicas)
            {
                if (!image.Brokers.ContainsKey(broker))
                    return CreateTopicReply.Failed(ErrorCode.InvalidReplicaAssignment, $"The manual partition assignment includes broker {broker}, but no such broker is registered.");
            }
            if (!replicas.Any(b => IsEligible(image, b)))
                return CreateTopicReply.Failed(ErrorCode.InvalidReplicaAssignment, $"All brokers specified in the manual partition assignment for partition {p} are fenced or in controlled shutdown.");
            assignments.Add([.. replicas]);
        }
        return null;
    }

    /// <summary>
    /// New partitions start with every eligible replica in the ISR and the first of them leading, as
    /// in Kafka; replicas on fenced brokers join the ISR when they catch up.
    /// </summary>
    private void AddPartitionRecords(MetadataImage image, KafkaUuid topicId, int firstPartition, List<ImmutableArray<int>> assignments, List<MetadataRecord> records)
    {
        for (var i = 0; i < assignments.Count; i++)
        {
            var replicas = assignments[i];
            var isr = new List<int>(replicas.Length);
            foreach (var replica in replicas)
            {
                if (IsEligible(image, replica))
                    isr.Add(replica);
            }
            records.Add(MetadataRecord.Of(new PartitionRecord
            {
                TopicId = topicId,
                PartitionId = firstPartition + i,
                Replicas = [.. replicas],
                Isr = isr,
                Leader = isr[0],
                LeaderEpoch = 0,
                PartitionEpoch = 0,
            }));
        }
    }
}
