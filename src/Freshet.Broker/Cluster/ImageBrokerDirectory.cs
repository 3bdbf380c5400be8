using Freshet.Broker.InterBroker;
using Freshet.Broker.Topics;
using Freshet.Storage;

namespace Freshet.Broker.Cluster;

/// <summary>Brokers' endpoints and partitions' leaders, read from the image the catalog was last built from.</summary>
internal sealed class ImageBrokerDirectory(int localBrokerId, TopicCatalog catalog) : IBrokerDirectory, IPartitionLeaderLookup
{
    public int LocalBrokerId { get; } = localBrokerId;

    public bool TryGetEndpoint(int brokerId, out string host, out int port)
    {
        if (catalog.Image.Brokers.TryGetValue(brokerId, out var broker) && broker.Endpoints.Length > 0)
        {
            host = broker.Endpoints[0].Host;
            port = broker.Endpoints[0].Port;
            return true;
        }
        host = "";
        port = 0;
        return false;
    }

    public bool TryGetLeader(TopicPartition partition, out int brokerId)
    {
        if (catalog.Image.Partition(partition.Topic, partition.Partition) is { Leader: >= 0 } state)
        {
            brokerId = state.Leader;
            return true;
        }
        brokerId = -1;
        return false;
    }
}
