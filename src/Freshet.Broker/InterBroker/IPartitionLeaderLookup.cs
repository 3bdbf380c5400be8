using Freshet.Storage;

namespace Freshet.Broker.InterBroker;

/// <summary>Which broker leads a partition, as the latest metadata image says.</summary>
internal interface IPartitionLeaderLookup
{
    bool TryGetLeader(TopicPartition partition, out int brokerId);
}
