using Freshet.Protocol.Messages;

namespace Freshet.Broker.Replication;

/// <summary>The controller's answer to an ISR change: on success the ISR and epochs it committed.</summary>
internal sealed record AlterPartitionResult(ErrorCode Error, IReadOnlyList<int> Isr, int LeaderEpoch, int PartitionEpoch)
{
    public static AlterPartitionResult Failed(ErrorCode error) => new(error, [], -1, -1);
}
