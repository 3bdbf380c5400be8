using System.CommandLine;
using Freshet.Server.Hosting;

namespace Freshet.Server.Cli;

/// <summary><c>freshet serve</c>: run a broker until Ctrl+C or SIGTERM.</summary>
internal sealed class ServeCommand
{
    private readonly Option<string?> _config = new("--config", "-c")
    {
        Description = "A Kafka server.properties file.",
        HelpName = "file",
    };

    private readonly Option<string?> _listeners = new("--listeners")
    {
        Description = "listeners: address to listen on, PLAINTEXT://host:port [default: PLAINTEXT://127.0.0.1:9092]",
        HelpName = "listener",
    };

    private readonly Option<string?> _advertisedListeners = new("--advertised-listeners")
    {
        Description = "advertised.listeners: address given to clients [default: the listener]",
        HelpName = "listener",
    };

    private readonly Option<string?> _dataDir = new("--data-dir", "-d")
    {
        Description = "log.dirs: data directory [default: ./data]",
        HelpName = "dir",
    };

    private readonly Option<string?> _nodeId = new("--node-id")
    {
        Description = "node.id: this broker's id [default: 1]",
        HelpName = "id",
    };

    private readonly Option<string[]> _override = new("--override")
    {
        Description = "Set any broker property, as kafka-server-start --override does. Repeatable.",
        HelpName = "key=value",
    };

    private readonly Option<string?> _logLevel = new("--log-level")
    {
        Description = "trace, debug, information, warning, error, critical or none [default: information]",
        HelpName = "level",
    };

    public ServeCommand()
    {
        Command = new Command(
            "serve",
            "Run a broker until Ctrl+C or SIGTERM. With no options it listens on 127.0.0.1:9092 and keeps its data in ./data.\n"
            + "Settings use Kafka's property names; each can also be set by an environment variable FRESHET_<NAME>, upper case\n"
            + "with dots as underscores (FRESHET_LOG_DIRS, FRESHET_NUM_PARTITIONS).\n"
            + "Precedence: defaults < --config file < environment < command line.")
        {
            _config,
            _listeners,
            _advertisedListeners,
            _dataDir,
            _nodeId,
            _override,
            _logLevel,
        };
        Command.SetAction((parseResult, cancellationToken) => ServerRunner.RunAsync(Bind(parseResult), Console.Error, cancellationToken));
    }

    public Command Command { get; }

    public ServeArguments Bind(ParseResult parseResult) => new()
    {
        ConfigFile = parseResult.GetValue(_config),
        Listeners = parseResult.GetValue(_listeners),
        AdvertisedListeners = parseResult.GetValue(_advertisedListeners),
        DataDir = parseResult.GetValue(_dataDir),
        NodeId = parseResult.GetValue(_nodeId),
        Overrides = parseResult.GetValue(_override) ?? [],
        LogLevel = parseResult.GetValue(_logLevel) ?? "information",
    };

    /// <summary>Parses <c>serve</c>'s own arguments (without the word "serve"); for tests.</summary>
    public static ServeArguments Parse(params string[] args)
    {
        var serve = new ServeCommand();
        var parseResult = serve.Command.Parse(args);
        if (parseResult.Errors.Count > 0)
            throw new ArgumentException(parseResult.Errors[0].Message, nameof(args));
        return serve.Bind(parseResult);
    }
}
