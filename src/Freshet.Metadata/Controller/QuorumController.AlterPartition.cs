using System.Collections.Immutable;
using Freshet.Metadata.Image;
using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;

namespace Freshet.Metadata.Controller;

/// <summary>ISR changes proposed by partition leaders (Kafka's AlterPartition).</summary>
public sealed partial class QuorumController
{
    public Task<AlterPartitionReply> AlterPartitionAsync(int brokerId, long brokerEpoch, IReadOnlyList<IsrUpdate> updates, CancellationToken token = default) =>
        SubmitAsync(t => AlterPartitionCoreAsync(brokerId, brokerEpoch, updates, t), (error, _) => new AlterPartitionReply(error, []), token);

    private async Task<AlterPartitionReply> AlterPartitionCoreAsync(int brokerId, long brokerEpoch, IReadOnlyList<IsrUpdate> updates, CancellationToken token)
    {
        var image = _quorum.Image;
        if (!image.Brokers.TryGetValue(brokerId, out var requester) || requester.Epoch != brokerEpoch)
            return new AlterPartitionReply(ErrorCode.StaleBrokerEpoch, []);

        var records = new List<MetadataRecord>(updates.Count);
        var results = new PartitionState?[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            if (!image.TopicsById.TryGetValue(update.TopicId, out var topic))
            {
                results[i] = new PartitionState(update.TopicId, update.PartitionId, ErrorCode.UnknownTopicId);
                continue;
            }
            if (!topic.Partitions.TryGetValue(update.PartitionId, out var partition))
            {
                results[i] = new PartitionState(update.TopicId, update.PartitionId, ErrorCode.UnknownTopicOrPartition);
                continue;
            }
            var error = Validate(image, brokerId, partition, update);
            if (error != ErrorCode.None)
            {
                results[i] = new PartitionState(update.TopicId, update.PartitionId, error);
                continue;
            }
            var change = PartitionChangeBuilder.Build(
                topic.Id, partition, [.. update.NewIsr], b => IsEligible(image, b), uncleanAllowed: false);
            if (change is null)
                results[i] = StateOf(topic, partition);
            else
                records.Add(MetadataRecord.Of(change));
        }

        if (records.Count > 0)
            await CommitAsync(records, token).ConfigureAwait(false);
        var after = _quorum.Image;
        var states = new List<PartitionState>(updates.Count);
        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            states.Add(results[i] ?? StateOf(after.TopicsById[update.TopicId], after.TopicsById[update.TopicId].Partitions[update.PartitionId]));
        }
        return new AlterPartitionReply(ErrorCode.None, states);
    }

    /// <summary>Kafka's checks of one partition's ISR change, in Kafka's order.</summary>
    private ErrorCode Validate(MetadataImage image, int brokerId, PartitionImage partition, IsrUpdate update)
    {
        if (update.LeaderEpoch != partition.LeaderEpoch)
            return ErrorCode.FencedLeaderEpoch;
        if (brokerId != partition.Leader)
            return ErrorCode.InvalidRequest;
        if (update.PartitionEpoch != partition.PartitionEpoch)
            return ErrorCode.InvalidUpdateVersion;
        if (update.NewIsr.Count == 0 || !update.NewIsr.Contains(partition.Leader))
            return ErrorCode.InvalidRequest;
        if (update.NewIsrBrokerEpochs is { } epochs && epochs.Count != update.NewIsr.Count)
            return ErrorCode.InvalidRequest;
        var seen = new HashSet<int>();
        for (var i = 0; i < update.NewIsr.Count; i++)
        {
            var member = update.NewIsr[i];
            if (!partition.Replicas.Contains(member) || !seen.Add(member))
                return ErrorCode.InvalidRequest;
            // Members already in the ISR may stay whatever their state: fencing removes them itself.
            // Joining needs a live, current broker.
            if (partition.Isr.Contains(member))
                continue;
            if (!IsEligible(image, member))
                return ErrorCode.IneligibleReplica;
            if (update.NewIsrBrokerEpochs is { } memberEpochs && memberEpochs[i] >= 0 && memberEpochs[i] != image.Brokers[member].Epoch)
                return ErrorCode.IneligibleReplica;
        }
        return ErrorCode.None;
    }

    private static PartitionState StateOf(TopicImage topic, PartitionImage partition) =>
        new(topic.Id, partition.PartitionId, ErrorCode.None, partition.Leader, partition.LeaderEpoch, partition.PartitionEpoch, partition.Isr);
}
