using System.CommandLine;
using Freshet.Metadata.Quorum;
using Freshet.Server.Cluster;

namespace Freshet.Server.Cli;

/// <summary><c>freshet cluster up</c>: a local cluster for development, of combined nodes or of dedicated controllers and brokers.</summary>
internal sealed class ClusterCommand
{
    private readonly Option<int> _nodes = new("--nodes", "-n")
    {
        Description = $"How many nodes, each a broker and a controller quorum voter [default: {ClusterUpArguments.DefaultNodes}]",
        HelpName = "count",
        DefaultValueFactory = _ => ClusterUpArguments.DefaultNodes,
    };

    private readonly Option<int> _controllers = new("--controllers")
    {
        Description = "Dedicated controllers (process.roles=controller) to run as nodes 1..K; --nodes then counts broker-only nodes [default: 0, every node combined]",
        HelpName = "count",
        DefaultValueFactory = _ => 0,
    };

    private readonly Option<int> _basePort = new("--base-port")
    {
        Description = $"Client port of node 1; node i listens on base+i-1, 0 picks free ports [default: {ClusterUpArguments.DefaultBasePort}]",
        HelpName = "port",
        DefaultValueFactory = _ => ClusterUpArguments.DefaultBasePort,
    };

    private readonly Option<int?> _controllerBasePort = new("--controller-base-port")
    {
        Description = $"Controller (Raft) port of node 1; node i uses base+i-1 [default: --base-port + {ClusterUpArguments.ControllerPortOffset}]",
        HelpName = "port",
    };

    private readonly Option<string> _host = new("--host")
    {
        Description = "Address every node listens on [default: 127.0.0.1]",
        HelpName = "address",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    private readonly Option<string> _dataDir = new("--data-dir", "-d")
    {
        Description = "Node i keeps its data in <dir>/node-<i> [default: ./cluster-data]",
        HelpName = "dir",
        DefaultValueFactory = _ => "cluster-data",
    };

    private readonly Option<string[]> _override = new("--override")
    {
        Description = "Set a broker property on every node (not node.id, listeners, log.dirs, controller.quorum.voters). Repeatable.",
        HelpName = "key=value",
    };

    private readonly Option<string?> _logLevel = new("--log-level")
    {
        Description = "The nodes' log level: trace, debug, information, warning, error, critical or none [default: information]",
        HelpName = "level",
    };

    public ClusterCommand()
    {
        var up = new Command(
            "up",
            "Start a local cluster of N `freshet serve` processes, each a broker and a controller quorum voter, and run until\n"
            + "Ctrl+C or SIGTERM, which stop every node in order. Prints each node's addresses, pid and data dir, and the\n"
            + "bootstrap.servers string for clients; the nodes' logs follow on stderr, each line prefixed by its node.")
        {
            _nodes,
            _controllers,
            _basePort,
            _controllerBasePort,
            _host,
            _dataDir,
            _override,
            _logLevel,
        };
        up.SetAction((parseResult, cancellationToken) =>
            ClusterSupervisor.RunAsync(Bind(parseResult), ListenPorts.TakeFree, Console.Out, Console.Error, cancellationToken));
        Command = new Command("cluster", "Run a local multi-node cluster for development.") { up };
    }

    public Command Command { get; }

    public ClusterUpArguments Bind(ParseResult parseResult) => new()
    {
        Nodes = parseResult.GetValue(_nodes),
        Controllers = parseResult.GetValue(_controllers),
        BasePort = parseResult.GetValue(_basePort),
        ControllerBasePort = parseResult.GetValue(_controllerBasePort),
        Host = parseResult.GetValue(_host) ?? "127.0.0.1",
        DataDir = parseResult.GetValue(_dataDir) ?? "cluster-data",
        Overrides = parseResult.GetValue(_override) ?? [],
        LogLevel = parseResult.GetValue(_logLevel) ?? "information",
    };

    /// <summary>Parses <c>cluster up</c>'s own arguments (without "cluster up"); for tests.</summary>
    public static ClusterUpArguments ParseUp(params string[] args)
    {
        var cluster = new ClusterCommand();
        var parseResult = cluster.Command.Parse(["up", .. args]);
        if (parseResult.Errors.Count > 0)
            throw new ArgumentException(parseResult.Errors[0].Message, nameof(args));
        return cluster.Bind(parseResult);
    }
}
