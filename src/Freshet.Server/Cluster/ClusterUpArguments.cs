namespace Freshet.Server.Cluster;

/// <summary>What <c>freshet cluster up</c> was given on the command line, before any validation.</summary>
internal sealed record ClusterUpArguments
{
    public const int DefaultNodes = 3;

    /// <summary>Kafka's usual port for node 1; node i listens on base + i - 1.</summary>
    public const int DefaultBasePort = 9092;

    /// <summary>How far above the client ports the controller (Raft) ports start: node i's is base + 100 + i - 1.</summary>
    public const int ControllerPortOffset = 100;

    /// <summary>How many brokers: combined nodes, or broker-only nodes when <see cref="Controllers"/> is above 0.</summary>
    public int Nodes { get; init; } = DefaultNodes;

    /// <summary>Dedicated controllers (process.roles=controller) to start before the brokers; 0: every node is combined.</summary>
    public int Controllers { get; init; }

    /// <summary>Node 1's client port; 0 picks free ports for every listener.</summary>
    public int BasePort { get; init; } = DefaultBasePort;

    /// <summary>Node 1's controller port; null means <see cref="BasePort"/> + <see cref="ControllerPortOffset"/>.</summary>
    public int? ControllerBasePort { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Each node keeps its data in &lt;DataDir&gt;/node-&lt;id&gt;.</summary>
    public string DataDir { get; init; } = "cluster-data";

    /// <summary>--override key=value, given to every node in command-line order.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    public string LogLevel { get; init; } = "information";
}
