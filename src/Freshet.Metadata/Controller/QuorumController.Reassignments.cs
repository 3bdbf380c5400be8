using System.Collections.Immutable;
using Freshet.Metadata.Image;
using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;

namespace Freshet.Metadata.Controller;

/// <summary>
/// Partition reassignments with Kafka's target-replica semantics: the partition's replicas become
/// the target followed by the replicas being removed; new replicas catch up and join the ISR through
/// their leader's AlterPartition, and the moment all of them are in sync the removed ones leave.
/// </summary>
public sealed partial class QuorumController
{
    public Task<ReassignmentsReply> AlterPartitionReassignmentsAsync(IReadOnlyList<ReassignmentSpec> reassignments, CancellationToken token = default) =>
        SubmitAsync(t => AlterReassignmentsCoreAsync(reassignments, t), (error, _) => new ReassignmentsReply(error, []), token);

    /// <summary>Reassignments in progress, of the given partitions or (null) of all.</summary>
    public Task<ListReassignmentsReply> ListPartitionReassignmentsAsync(IReadOnlyList<TopicPartitionName>? partitions, CancellationToken token = default) =>
        SubmitAsync(_ => Task.FromResult(ListReassignments(_quorum.Image, partitions)), (error, _) => new ListReassignmentsReply(error, []), token);

    private async Task<ReassignmentsReply> AlterReassignmentsCoreAsync(IReadOnlyList<ReassignmentSpec> reassignments, CancellationToken token)
    {
        var image = _quorum.Image;
        var records = new List<MetadataRecord>();
        var results = new List<ReassignmentResult>(reassignments.Count);
        foreach (var spec in reassignments)
        {
            var (error, message) = image.TopicByName(spec.Topic) is { } topic && topic.Partitions.TryGetValue(spec.Partition, out var partition)
                ? Reassign(image, topic, partition, spec.TargetReplicas, records)
                : (ErrorCode.UnknownTopicOrPartition, "The partition does not exist.");
            results.Add(new ReassignmentResult(spec.Topic, spec.Partition, error, message));
        }
        if (records.Count > 0)
            await CommitAsync(records, token).ConfigureAwait(false);
        return new ReassignmentsReply(ErrorCode.None, results);
    }

    private (ErrorCode, string?) Reassign(MetadataImage image, TopicImage topic, PartitionImage partition, IReadOnlyList<int>? targetReplicas, List<MetadataRecord> records)
    {
        bool Eligible(int b) => IsEligible(image, b);
        ReplicaTarget target;
        var isr = partition.Isr;
        if (targetReplicas is null)
        {
            if (partition.AddingReplicas.IsEmpty && partition.RemovingReplicas.IsEmpty)
                return (ErrorCode.NoReassignmentInProgress, "No reassignment is in progress for this partition.");
            // Cancelling returns to the replicas from before the reassignment: what it was adding goes.
            isr = isr.RemoveRange(partition.AddingReplicas);
            if (isr.IsEmpty)
                return (ErrorCode.InvalidReplicaAssignment, "Cancelling the reassignment would leave the ISR empty.");
            target = new ReplicaTarget(partition.Replicas.RemoveRange(partition.AddingReplicas), [], []);
        }
        else
        {
            if (targetReplicas.Count == 0 || targetReplicas.Distinct().Count() != targetReplicas.Count)
                return (ErrorCode.InvalidReplicaAssignment, "The target replicas are empty or repeat a broker.");
            foreach (var broker in targetReplicas)
            {
                if (!image.Brokers.ContainsKey(broker))
                    return (ErrorCode.InvalidReplicaAssignment, $"The target replicas include broker {broker}, but no such broker is registered.");
            }
            ImmutableArray<int> wanted = [.. targetReplicas];
            var removing = partition.Replicas.RemoveRange(wanted);
            var adding = wanted.RemoveRange(partition.Replicas);
            target = new ReplicaTarget(wanted.AddRange(removing), adding, removing);
        }
        var change = PartitionChangeBuilder.Build(topic.Id, partition, isr, Eligible, UncleanElectionAllowed(image, topic.Name), target: target);
        if (change is not null)
            records.Add(MetadataRecord.Of(change));
        return (ErrorCode.None, null);
    }

    private static ListReassignmentsReply ListReassignments(MetadataImage image, IReadOnlyList<TopicPartitionName>? partitions)
    {
        var ongoing = new List<OngoingReassignment>();
        void AddIfOngoing(TopicImage topic, PartitionImage p)
        {
            if (!p.AddingReplicas.IsEmpty || !p.RemovingReplicas.IsEmpty)
                ongoing.Add(new OngoingReassignment(topic.Name, p.PartitionId, p.Replicas, p.AddingReplicas, p.RemovingReplicas));
        }
        if (partitions is null)
        {
            foreach (var topic in image.TopicsById.Values)
            {
                foreach (var p in topic.Partitions.Values)
                    AddIfOngoing(topic, p);
            }
        }
        else
        {
            foreach (var (name, id) in partitions)
            {
                if (image.TopicByName(name) is { } topic && topic.Partitions.TryGetValue(id, out var p))
                    AddIfOngoing(topic, p);
            }
        }
        return new ListReassignmentsReply(ErrorCode.None, ongoing);
    }
}
