using System.Globalization;
using Freshet.Broker.Configuration;

namespace Freshet.Server.Cluster;

/// <summary>
/// The nodes of a local cluster and the <c>freshet serve</c> arguments each one runs with. Every node is a
/// combined broker and controller, and all of them are voters of the controller quorum.
/// </summary>
internal sealed class ClusterPlan
{
    public const int MaxNodes = 99;

    /// <summary>Properties the command sets per node; an --override of one would break the cluster it lays out.</summary>
    private static readonly string[] OwnedProperties =
        ["node.id", "process.roles", "listeners", "advertised.listeners", "log.dirs", "log.dir", "controller.quorum.voters"];

    private ClusterPlan(IReadOnlyList<NodePlan> nodes, ClusterUpArguments arguments)
    {
        Nodes = nodes;
        Arguments = arguments;
        var voters = new string[nodes.Count];
        var bootstrap = new string[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            voters[i] = nodes[i].Voter;
            bootstrap[i] = nodes[i].KafkaAddress;
        }

        QuorumVoters = string.Join(',', voters);
        BootstrapServers = string.Join(',', bootstrap);
    }

    public IReadOnlyList<NodePlan> Nodes { get; }

    public ClusterUpArguments Arguments { get; }

    /// <summary><c>controller.quorum.voters</c>, the same on every node.</summary>
    public string QuorumVoters { get; }

    /// <summary>bootstrap.servers for clients: every node's client address.</summary>
    public string BootstrapServers { get; }

    /// <param name="freePort">Picks an unused port; called only when the base port is 0.</param>
    /// <exception cref="ConfigException">The arguments cannot describe a cluster.</exception>
    public static ClusterPlan Build(ClusterUpArguments arguments, Func<int> freePort)
    {
        if (arguments.Nodes < 1 || arguments.Nodes > MaxNodes)
            throw new ConfigException($"--nodes must be between 1 and {MaxNodes}, not {arguments.Nodes}");
        if (arguments.BasePort < 0 || arguments.BasePort + arguments.Nodes - 1 > 65535)
            throw new ConfigException($"--base-port {arguments.BasePort} leaves no room for {arguments.Nodes} ports below 65536");
        var controllerBase = arguments.ControllerBasePort ?? (arguments.BasePort == 0 ? 0 : arguments.BasePort + ClusterUpArguments.ControllerPortOffset);
        if (controllerBase < 0 || controllerBase + arguments.Nodes - 1 > 65535)
            throw new ConfigException($"--controller-base-port {controllerBase} leaves no room for {arguments.Nodes} ports below 65536");
        if (controllerBase != 0 && arguments.BasePort != 0
            && controllerBase < arguments.BasePort + arguments.Nodes && arguments.BasePort < controllerBase + arguments.Nodes)
            throw new ConfigException($"the client ports from {arguments.BasePort} and the controller ports from {controllerBase} overlap");
        if (string.IsNullOrWhiteSpace(arguments.Host))
            throw new ConfigException("--host must name an address");
        foreach (var setting in arguments.Overrides)
            CheckOverride(setting);

        var nodes = new NodePlan[arguments.Nodes];
        for (var i = 0; i < nodes.Length; i++)
        {
            var id = i + 1;
            var kafkaPort = arguments.BasePort == 0 ? freePort() : arguments.BasePort + i;
            var controllerPort = controllerBase == 0 ? freePort() : controllerBase + i;
            var dataDir = Path.GetFullPath(Path.Combine(arguments.DataDir, "node-" + id.ToString(CultureInfo.InvariantCulture)));
            nodes[i] = new NodePlan(id, arguments.Host, kafkaPort, controllerPort, dataDir);
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
            "--override", "process.roles=broker,controller",
            "--override", "controller.quorum.voters=" + QuorumVoters,
            "--log-level", Arguments.LogLevel,
        };
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
