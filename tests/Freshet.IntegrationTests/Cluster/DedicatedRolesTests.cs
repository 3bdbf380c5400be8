using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;
using WireError = Freshet.Protocol.Messages.ErrorCode;
using static Freshet.IntegrationTests.Cluster.ClusterTestSupport;

namespace Freshet.IntegrationTests.Cluster;

/// <summary>
/// Three dedicated controllers (process.roles=controller) and three broker-only nodes (process.roles=broker) as real
/// processes: the brokers follow the controllers' metadata log, clients see only the brokers, and the cluster goes on
/// through the SIGKILL of the active controller and then of a partition leader, which rejoins when restarted. The
/// controllers' own listeners describe the quorum (KIP-919) and refuse broker requests, as Kafka's do.
/// </summary>
public sealed class DedicatedRolesTests
{
    private const string Topic = "orders";
    private const int Partitions = 3;

    [Fact]
    public async Task Dedicated_controllers_and_brokers_serve_clients_through_a_controller_kill_and_a_broker_kill()
    {
        await using var cluster = await FreshetCluster.StartDedicatedAsync(controllers: 3, brokers: 3, [.. FreshetCluster.FastFailover, "min.insync.replicas=2"]);
        await cluster.WaitForBrokersAsync(Deadline);
        var brokers = (await cluster.WaitForMetadataAsync(null, Deadline)).Brokers.Select(b => b.BrokerId).Order().ToArray();
        Assert.Equal(cluster.BrokerIds.ToArray(), brokers);

        await CreateTopicAsync(cluster, new TopicSpecification { Name = Topic, NumPartitions = Partitions, ReplicationFactor = 3 });
        await WaitForFullIsrAsync(cluster, Topic, Partitions, 3);
        foreach (var replica in (await cluster.WaitForMetadataAsync(Topic, Deadline)).Topics[0].Partitions.SelectMany(p => p.Replicas))
            Assert.Contains(replica, cluster.BrokerIds);

        using var producer = new ProducerBuilder<string, string>(ReliableProducer(cluster)).Build();
        var sent = new List<string>();
        await ProduceKeyedAsync(producer, Topic, "before", 200, sent);

        // The active controller dies: another is elected, the brokers register and heartbeat with it (they stay
        // unfenced past the 2 s session timeout), and it places a new topic on all three brokers.
        var controller = await ActiveControllerAsync(cluster, notNode: -1);
        await cluster.KillAsync(controller);
        var next = await ActiveControllerAsync(cluster, notNode: controller);
        Assert.NotEqual(controller, next);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.WaitForBrokersAsync(Deadline);
        await CreateTopicAsync(cluster, new TopicSpecification { Name = "after-failover", NumPartitions = 2, ReplicationFactor = 3 });
        await WaitForFullIsrAsync(cluster, "after-failover", 2, 3);
        await ProduceKeyedAsync(producer, Topic, "after-controller-kill", 100, sent);

        // A consumer group (its coordinator on a broker, the offsets topic placed by the new controller) reads it all.
        var grouped = ConsumeAll(cluster, Topic, Partitions, sent.Count, subscribe: true);
        Assert.Equal(sent.Order(), grouped.Order());

        // A partition leader dies: its leaderships move to the other in-sync brokers and acks=all goes on (ISR of two).
        var leader = await cluster.WaitForLeaderAsync(Topic, 0, Deadline);
        await cluster.KillAsync(leader);
        var newLeader = await cluster.WaitForLeaderAsync(Topic, 0, Deadline, notNode: leader);
        Assert.NotEqual(leader, newLeader);
        await ProduceKeyedAsync(producer, Topic, "after-broker-kill", 100, sent);

        // With one broker of three down the offsets topic cannot be placed anew at replication factor 3, so this
        // reader assigns the partitions itself.
        var received = ConsumeAll(cluster, Topic, Partitions, sent.Count, subscribe: false);
        Assert.Equal(sent.Order(), received.Order());

        // The killed broker comes back with an empty image: it takes the controllers' snapshot, follows the log on,
        // registers again and catches up into every ISR.
        await cluster.RestartAsync(leader);
        await WaitForFullIsrAsync(cluster, Topic, Partitions, 3);
        var sinceRestart = cluster.Node(leader).Output.Split("---- restart ----")[^1];
        Assert.Contains("Loaded the metadata snapshot", sinceRestart, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dedicated_controllers_describe_the_quorum_and_close_on_broker_requests()
    {
        await using var cluster = await FreshetCluster.StartDedicatedAsync(controllers: 3, brokers: 1, FreshetCluster.FastFailover);
        await cluster.WaitForBrokersAsync(Deadline);
        var active = await ActiveControllerAsync(cluster, notNode: -1);

        // Every controller lists the three voters at their Kafka listeners, with the active one as controller_id.
        foreach (var id in cluster.ControllerIds)
            await AssertDescribesControllersAsync(cluster, id, active, cluster.ControllerIds);

        // The wrong endpoint type for the listener, or an unknown one, gets Kafka's errors.
        var atController = await DescribeClusterAsync(cluster.Node(1).BootstrapServers, DescribeClusterEndpointsBrokers);
        Assert.Equal((short)WireError.MismatchedEndpointType, atController.ErrorCode);
        var atBroker = await DescribeClusterAsync(cluster.Node(cluster.BrokerIds.First()).BootstrapServers, DescribeClusterEndpointsControllers);
        Assert.Equal((short)WireError.MismatchedEndpointType, atBroker.ErrorCode);
        Assert.Equal((short)WireError.UnsupportedEndpointType, (await DescribeClusterAsync(cluster.Node(1).BootstrapServers, 3)).ErrorCode);

        // Metadata is a broker request: a controller's listener does not offer it and closes a connection that sends it.
        using (var connection = await RawConnection.ConnectAsync(cluster.Node(1).BootstrapServers))
        {
            await connection.SendAsync(new ApiVersionsRequest { ClientSoftwareName = "raw", ClientSoftwareVersion = "1" }, 3);
            var (_, versions) = await connection.ReadResponseAsync<ApiVersionsResponse>(ApiKey.ApiVersions, 3);
            Assert.Contains(versions.ApiKeys, k => k.ApiKey == (short)ApiKey.DescribeCluster && k.MaxVersion >= 1);
            Assert.DoesNotContain(versions.ApiKeys, k => k.ApiKey == (short)ApiKey.Metadata);
            await connection.SendAsync(new MetadataRequest { Topics = null }, 12);
            Assert.True(await connection.IsClosedByBrokerAsync());
        }

        // The active controller dies: the others name the new one and still list the dead one, as Kafka lists a
        // registered controller while it is down.
        await cluster.KillAsync(active);
        var next = await ActiveControllerAsync(cluster, notNode: active);
        foreach (var id in cluster.ControllerIds.Where(c => c != active))
            await AssertDescribesControllersAsync(cluster, id, next, cluster.ControllerIds);
    }

    private const sbyte DescribeClusterEndpointsBrokers = 1;
    private const sbyte DescribeClusterEndpointsControllers = 2;

    private static async Task AssertDescribesControllersAsync(FreshetCluster cluster, int at, int active, IEnumerable<int> controllers)
    {
        DescribeClusterResponse? described = null;
        var expected = controllers.Select(c => (c, cluster.Node(c).BootstrapServers)).ToArray();
        await FreshetCluster.WaitUntilAsync(
            () =>
            {
                described = DescribeClusterAsync(cluster.Node(at).BootstrapServers, DescribeClusterEndpointsControllers).GetAwaiter().GetResult();
                return described.ControllerId == active && described.Brokers.Count == expected.Length;
            },
            Deadline,
            $"controller {at} lists {expected.Length} controllers with {active} active");
        Assert.Equal((short)WireError.None, described!.ErrorCode);
        Assert.Equal(DescribeClusterEndpointsControllers, described.EndpointType);
        Assert.Equal(expected, described.Brokers.Select(b => (b.BrokerId, $"{b.Host}:{b.Port}")).ToArray());
    }

    private static async Task<DescribeClusterResponse> DescribeClusterAsync(string bootstrapServers, sbyte endpointType)
    {
        using var connection = await RawConnection.ConnectAsync(bootstrapServers);
        await connection.SendAsync(new DescribeClusterRequest { EndpointType = endpointType }, 1);
        var (_, response) = await connection.ReadResponseAsync<DescribeClusterResponse>(ApiKey.DescribeCluster, 1);
        return response;
    }

    private static async Task<int> ActiveControllerAsync(FreshetCluster cluster, int notNode)
    {
        var active = -1;
        await FreshetCluster.WaitUntilAsync(
            () =>
            {
                active = cluster.ActiveDedicatedControllerAsync().GetAwaiter().GetResult();
                return active > 0 && active != notNode;
            },
            Deadline,
            $"a controller other than {notNode} is active");
        return active;
    }
}
