using Freshet.Broker.InterBroker;
using Freshet.Broker.Replication;
using Freshet.Storage;

namespace Freshet.Broker.Hosting;

/// <summary>
/// The directory and partition leadership of a cluster of one, until the metadata image provides them: this broker
/// is the only one registered and leads every partition it hosts.
/// </summary>
internal sealed class SingleBrokerDirectory(BrokerNode node, ReplicaManager replicas) : IBrokerDirectory, IPartitionLeaderLookup
{
    public int LocalBrokerId => node.NodeId;

    public bool TryGetEndpoint(int brokerId, out string host, out int port)
    {
        var known = brokerId == node.NodeId;
        host = known ? node.Host : "";
        port = known ? node.Port : -1;
        return known;
    }

    public bool TryGetLeader(TopicPartition partition, out int brokerId)
    {
        var hosted = replicas.TryGetPartition(partition.Topic, partition.Partition, out _);
        brokerId = hosted ? node.NodeId : -1;
        return hosted;
    }
}
