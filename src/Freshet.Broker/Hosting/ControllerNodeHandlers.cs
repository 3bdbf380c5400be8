using Freshet.Broker.Cluster;
using Freshet.Broker.Configuration;
using Freshet.Broker.Handlers;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;

namespace Freshet.Broker.Hosting;

/// <summary>
/// What a dedicated controller (process.roles=controller) serves on its PLAINTEXT listener: the requests brokers send
/// the active controller, the admin requests they forward to it, and the metadata log (Fetch and FetchSnapshot on
/// <c>__cluster_metadata-0</c>) that broker-only nodes follow, and DescribeCluster for the controllers (KIP-919). No
/// partitions, no coordinators, no Metadata: as on Kafka's controller listener, a broker-only request such as Metadata
/// closes the connection.
/// </summary>
internal static class ControllerNodeHandlers
{
    public static HandlerRegistry Registry(
        BrokerNode node, ClusterServices cluster, TopicCatalog catalog, TopicAdmin admin, TopicConfigAdmin configAdmin, ControllerForwarding forwarding,
        BrokerOptions options)
    {
        var quorum = cluster.Quorum ?? throw new InvalidOperationException("A dedicated controller has a seat in the quorum.");
        HandlerRegistry? registry = null;
        registry = new HandlerRegistry(
        [
            new ApiVersionsHandler(() => registry!),
            new ControllerDescribeClusterHandler(node, quorum),
            new MetadataLogFetchHandler(quorum),
            new FetchSnapshotHandler(quorum, node.ClusterId),
            new CreateTopicsHandler(admin, options),
            new DeleteTopicsHandler(catalog, admin),
            new AlterConfigsHandler(configAdmin, forwarding, options),
            new IncrementalAlterConfigsHandler(configAdmin, forwarding, options),
            new ElectLeadersHandler(cluster.Controller, forwarding),
            new CreatePartitionsHandler(catalog, cluster.Controller, forwarding, cluster.Publisher),
            new AlterPartitionReassignmentsHandler(cluster.Controller, forwarding),
            new ListPartitionReassignmentsHandler(cluster.Controller, forwarding),
            .. cluster.Handlers(),
        ]);
        return registry;
    }
}
