using Freshet.Metadata.Image;
using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Metadata.Controller;

/// <summary>Requested leader elections and the periodic move back to preferred leaders.</summary>
public sealed partial class QuorumController
{
    /// <summary>
    /// Preferred: make the first replica leader if it is in the ISR and eligible. Unclean: give a
    /// leaderless partition any eligible replica. <paramref name="partitions"/> null means all partitions.
    /// </summary>
    public Task<ElectLeadersReply> ElectLeadersAsync(ElectionType type, IReadOnlyList<TopicPartitionName>? partitions, CancellationToken token = default) =>
        SubmitAsync(t => ElectLeadersCoreAsync(type, partitions, t), (error, _) => new ElectLeadersReply(error, []), token);

    /// <summary>
    /// Moves leadership back to the preferred replicas of every broker whose share of partitions led elsewhere
    /// exceeds <c>leader.imbalance.per.broker.percentage</c>; the rebalance timer calls this.
    /// </summary>
    internal Task<ElectLeadersReply> RebalanceLeadersAsync(CancellationToken token) =>
        SubmitAsync(RebalanceLeadersCoreAsync, (error, _) => new ElectLeadersReply(error, []), token);

    private Task<ElectLeadersReply> RebalanceLeadersCoreAsync(CancellationToken token)
    {
        var partitions = LeaderImbalance.PartitionsToRebalance(_quorum.Image, _options.LeaderImbalancePerBrokerPercentage);
        return partitions.Count == 0
            ? Task.FromResult(new ElectLeadersReply(ErrorCode.None, []))
            : ElectLeadersCoreAsync(ElectionType.Preferred, partitions, token);
    }

    private async Task<ElectLeadersReply> ElectLeadersCoreAsync(ElectionType type, IReadOnlyList<TopicPartitionName>? partitions, CancellationToken token)
    {
        var image = _quorum.Image;
        var results = new List<PartitionElectionResult>();
        var records = new List<MetadataRecord>();
        if (partitions is null)
        {
            foreach (var topic in image.TopicsById.Values)
            {
                foreach (var partition in topic.Partitions.Values)
                {
                    var error = Elect(image, type, topic, partition, records);
                    // Kafka leaves partitions that needed nothing out of an all-partitions answer.
                    if (error != ErrorCode.ElectionNotNeeded)
                        results.Add(new PartitionElectionResult(topic.Name, partition.PartitionId, error));
                }
            }
        }
        else
        {
            foreach (var (name, id) in partitions)
            {
                var error = image.TopicByName(name) is { } topic && topic.Partitions.TryGetValue(id, out var partition)
                    ? Elect(image, type, topic, partition, records)
                    : ErrorCode.UnknownTopicOrPartition;
                results.Add(new PartitionElectionResult(name, id, error));
            }
        }
        if (records.Count > 0)
        {
            await CommitAsync(records, token).ConfigureAwait(false);
            LogElected(_logger, type, records.Count);
        }
        return new ElectLeadersReply(ErrorCode.None, results);
    }

    private ErrorCode Elect(MetadataImage image, ElectionType type, TopicImage topic, PartitionImage partition, List<MetadataRecord> records)
    {
        bool Eligible(int b) => IsEligible(image, b);
        if (type == ElectionType.Preferred)
        {
            var preferred = partition.Replicas.IsEmpty ? PartitionImage.NoLeader : partition.Replicas[0];
            if (partition.Leader == preferred)
                return ErrorCode.ElectionNotNeeded;
            if (preferred == PartitionImage.NoLeader || !partition.Isr.Contains(preferred) || !Eligible(preferred))
                return ErrorCode.PreferredLeaderNotAvailable;
            records.Add(MetadataRecord.Of(PartitionChangeBuilder.Build(topic.Id, partition, partition.Isr, Eligible, uncleanAllowed: false, preferPreferredLeader: true)!));
            return ErrorCode.None;
        }

        if (partition.Leader != PartitionImage.NoLeader)
            return ErrorCode.ElectionNotNeeded;
        var change = PartitionChangeBuilder.Build(topic.Id, partition, partition.Isr, Eligible, uncleanAllowed: true);
        if (change is null || change.Leader == PartitionImage.NoLeader)
            return ErrorCode.EligibleLeadersNotAvailable;
        records.Add(MetadataRecord.Of(change));
        return ErrorCode.None;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Type} leader election changed {Partitions} partitions")]
    private static partial void LogElected(ILogger logger, ElectionType type, int partitions);
}
