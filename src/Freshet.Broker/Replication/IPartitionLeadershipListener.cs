using Freshet.Storage;

namespace Freshet.Broker.Replication;

/// <summary>
/// Told when this broker starts or stops leading a partition, so that state kept for the partition's leader
/// (group and transaction coordinators of the internal topics) moves with its leadership.
/// </summary>
internal interface IPartitionLeadershipListener
{
    void OnBecameLeader(TopicPartition partition, int leaderEpoch);

    void OnResigned(TopicPartition partition, int leaderEpoch);
}
