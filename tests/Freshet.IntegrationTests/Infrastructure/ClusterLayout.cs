namespace Freshet.IntegrationTests.Infrastructure;

/// <summary>How a <see cref="FreshetCluster"/> is laid out: where its nodes run and what sets one node apart.</summary>
public sealed record ClusterLayout
{
    public INodeNetwork Network { get; init; } = LoopbackNetwork.Instance;

    /// <summary>Broker properties of one node (by node id, from 1), e.g. its <c>broker.rack</c>; the shared overrides come after.</summary>
    public Func<int, IReadOnlyList<string>> NodeOverrides { get; init; } = _ => [];

    /// <summary>Extra <c>freshet serve</c> arguments for every node, e.g. <c>--log-level debug</c>.</summary>
    public IReadOnlyList<string> ServeArguments { get; init; } = [];
}

/// <summary>A node's address: the host it binds and advertises, its client port and its controller (Raft) port.</summary>
public readonly record struct NodeAddress(string Host, int KafkaPort, int ControllerPort);

/// <summary>Where the nodes of a cluster run and how each is reached.</summary>
public interface INodeNetwork
{
    /// <summary>The address node <paramref name="nodeId"/> listens on; asked once per node, before it starts.</summary>
    NodeAddress Address(int nodeId);

    /// <summary>The command that wraps the node's server command, e.g. <c>ip netns exec &lt;namespace&gt;</c>; empty for none.</summary>
    IReadOnlyList<string> LaunchPrefix(int nodeId);
}

/// <summary>Every node on 127.0.0.1 with free ports: the default.</summary>
public sealed class LoopbackNetwork : INodeNetwork
{
    public static readonly LoopbackNetwork Instance = new();

    public NodeAddress Address(int nodeId) => new("127.0.0.1", FreshetServer.FreePort(), FreshetServer.FreePort());

    public IReadOnlyList<string> LaunchPrefix(int nodeId) => [];
}
