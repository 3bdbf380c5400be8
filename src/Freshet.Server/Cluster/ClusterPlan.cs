using System.Globalization;
using Freshet.Broker.Configuration;

namespace Freshet.Server.Cluster;

/// <summary>
/// The nodes of a local cluster and the <c>freshet serve</c> arguments each one runs with. Every node is a
/// combined broker and controller, all of them voters of the controller quorum; or, with <c>--controllers K</c>,
/// nodes 1..K are dedicated controllers (the voters) and the next ones broker-only nodes that follow them.
/// </summary>
internal sealed class ClusterPlan
{
    public const int MaxNodes = 99;

    /// <summary>Properties the command sets per node; an --override of one would break the cluster it lays out.</summary>
    private static readonly string[] OwnedProperties =
        ["node.id", "process.roles", "listeners", "advertised.listeners", "log.dirs", "log.dir", "controller.quorum.voters", "controller.quorum.bootstrap.servers"];

    private ClusterPlan(IReadOnlyList<NodePlan> nodes, ClusterUpArguments arguments)
    {
        Nodes = nodes;
        Arguments = arguments;
        var voters = new List<string>();
        var controllers = new List<string>();
        var bootstrap = new List<string>();
        foreach (var node in nodes)
        {
            if (node.IsController)
            {
                voters.Add(node.Voter);
                controllers.Add(node.KafkaAddress);
            }
            if (node.IsBroker)
                bootstrap.Add(node.KafkaAddress);
        }

        QuorumVoters = string.Join(',', voters);
        ControllerBootstrapServers = string.Join(',', controllers);
        BootstrapServers = string.Join(',', bootstrap);
    }

    public IReadOnlyList<NodePlan> Nodes { get; }

    public ClusterUpArguments Arguments { get; }

    /// <summary><c>controller.quorum.voters</c>, the same on every node.</summary>
    public string QuorumVoters { get; }

    /// <summary><c>controller.quorum.bootstrap.servers</c> of broker-only nodes: the controllers' PLAINTEXT listeners.</summary>
    public string ControllerBootstrapServers { get; }

    /// <summary>bootstrap.servers for clients: every broker's client address.</summary>
    public string BootstrapServers { get; }

    /// <param name="freePort">Picks an unused port; called only when the base port is 0.</param>
    /// <exception cref="ConfigException">The arguments cannot describe a cluster.</exception>
    public static ClusterPlan Build(ClusterUpArguments arguments, Func<int> freePort)
    {
        var total = arguments.Nodes + arguments.Controllers;
        if (arguments.Controllers < 0 || arguments.Controllers > MaxNodes)
            throw new ConfigException($"--controllers must be between 0 and {MaxNodes}, not {arguments.Controllers}");
        if (arguments.Nodes < 1 || total > MaxNodes)
            throw new ConfigException($"--nodes must be between 1 and {MaxNodes - arguments.Controllers}, not {arguments.Nodes}");
        if (arguments.BasePort < 0 || arguments.BasePort + total - 1 > 65535)
            throw new ConfigException($"--base-port {arguments.BasePort} leaves no room for {total} ports below 65536");
        var controllerBase = arguments.ControllerBasePort ?? (arguments.BasePort == 0 ? 0 : arguments.BasePort + ClusterUpArguments.ControllerPortOffset);
        if (controllerBase < 0 || controllerBase + total - 1 > 65535)
            throw new ConfigException($"--controller-base-port {controllerBase} leaves no room for {total} ports below 65536");
        if (controllerBase != 0 && arguments.BasePort != 0
            && controllerBase < arguments.BasePort + total && arguments.BasePort < controllerBase + total)
            throw new ConfigException($"the client ports from {arguments.BasePort} and the controller ports from {controllerBase} overlap");
        if (string.IsNullOrWhiteSpace(arguments.Host))
            throw new ConfigException("--host must name an address");
        foreach (var setting in arguments.Overrides)
            CheckOverride(setting);

        var nodes = new NodePlan[total];
        for (var i = 0; i < nodes.Length; i++)
        {
            var id = i + 1;
            var roles = arguments.Controllers == 0 ? NodePlan.Combined : i < arguments.Controllers ? NodePlan.ControllerOnly : NodePlan.BrokerOnly;
            var kafkaPort = arguments.BasePort == 0 ? freePort() : arguments.BasePort + i;
            var controllerPort = roles == NodePlan.BrokerOnly ? 0 : controllerBase == 0 ? freePort() : controllerBase + i;
            var dataDir = Path.GetFullPath(Path.Combine(arguments.DataDir, "node-" + id.ToString(CultureInfo.InvariantCulture)));
            nodes[i] = new NodePlan(id, arguments.Host, kafkaPort, controllerPort, dataDir, roles);
        }

        return new ClusterPlan(nodes, arguments);
    }

    /// <summary>The arguments after <c>freshet</c> that start one node: <c>serve</c> and its options.</summary>
    public IReadOnlyList<string> ServeArguments(NodePlan node)
    {
        var args = new List<string>
        {
            "serve",
            "--node-id", node.NodeId.ToString(CultureInfo.InvariantCulture),
            "--listeners", node.Listeners,
            "--data-dir", node.DataDir,
            "--override", "process.roles=" + node.Roles,
            "--override", "controller.quorum.voters=" + QuorumVoters,
            "--log-level", Arguments.LogLevel,
        };
        if (!node.IsController)
        {
            args.Add("--override");
            args.Add("controller.quorum.bootstrap.servers=" + ControllerBootstrapServers);
        }
        foreach (var setting in Arguments.Overrides)
        {
            args.Add("--override");
            args.Add(setting);
        }

        return args;
    }

    private static void CheckOverride(string setting)
    {
        var eq = setting.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
            throw new ConfigException($"invalid --override '{setting}' (expected key=value)");
        var key = setting[..eq].Trim();
        if (Array.IndexOf(OwnedProperties, key) >= 0)
            throw new ConfigException($"--override {key} is set per node by 'cluster up' and cannot be overridden");
    }
}
