using System.Collections.Immutable;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Controller;

/// <summary>
/// One partition's ISR change proposed by its leader (Kafka's AlterPartitionRequest, topic-id form).
/// <see cref="NewIsrBrokerEpochs"/>, when given, pairs each new ISR member with the broker epoch the
/// leader saw it fetch with, so a member that restarted since is refused.
/// </summary>
public sealed record IsrUpdate(
    KafkaUuid TopicId,
    int PartitionId,
    int LeaderEpoch,
    int PartitionEpoch,
    IReadOnlyList<int> NewIsr,
    IReadOnlyList<long>? NewIsrBrokerEpochs = null);

/// <summary>A partition's registration after an AlterPartition, or the error that refused the change.</summary>
public sealed record PartitionState(
    KafkaUuid TopicId,
    int PartitionId,
    ErrorCode Error,
    int Leader = -1,
    int LeaderEpoch = -1,
    int PartitionEpoch = -1,
    ImmutableArray<int> Isr = default);

/// <summary>Top-level error (stale broker epoch, not controller) or a state per partition.</summary>
public sealed record AlterPartitionReply(ErrorCode Error, IReadOnlyList<PartitionState> Partitions);

/// <summary>Kafka's ElectionType: 0 preferred, 1 unclean.</summary>
public enum ElectionType : sbyte
{
    Preferred = 0,
    Unclean = 1,
}

public readonly record struct TopicPartitionName(string Topic, int Partition);

public sealed record PartitionElectionResult(string Topic, int Partition, ErrorCode Error, string? Message = null);

public sealed record ElectLeadersReply(ErrorCode Error, IReadOnlyList<PartitionElectionResult> Partitions);
