using System.Collections;
using Freshet.Broker.Configuration;
using Freshet.Server.Cli;
using Freshet.Server.Configuration;

namespace Freshet.Server.Tests;

public sealed class ServerSettingsTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"freshet-test-{Guid.NewGuid():N}.properties");

    public void Dispose() => File.Delete(_file);

    private BrokerOptions Load(string fileText, IDictionary env, params string[] args)
    {
        File.WriteAllText(_file, fileText);
        var arguments = ServeCommand.Parse(["--config", _file, .. args]);
        return BrokerConfigLoader.Load(ServerSettings.Collect(arguments, env));
    }

    [Fact]
    public void File_then_environment_then_command_line()
    {
        const string file = "num.partitions=2\nnode.id=10\nlog.dirs=/from-file\nmin.insync.replicas=2\n";
        var env = new Hashtable { ["FRESHET_NUM_PARTITIONS"] = "3", ["FRESHET_NODE_ID"] = "20", ["FRESHET_LOG_DIRS"] = "/from-env" };

        var fileOnly = Load(file, new Hashtable());
        Assert.Equal((2, 10, "/from-file"), (fileOnly.NumPartitions, fileOnly.NodeId, fileOnly.LogDirs[0]));

        var withEnv = Load(file, env);
        Assert.Equal((3, 20, "/from-env", 2), (withEnv.NumPartitions, withEnv.NodeId, withEnv.LogDirs[0], withEnv.MinInsyncReplicas));

        var withCli = Load(file, env, "--node-id", "30", "--data-dir", "/from-cli", "--override", "num.partitions=4");
        Assert.Equal((4, 30, "/from-cli", 2), (withCli.NumPartitions, withCli.NodeId, withCli.LogDirs[0], withCli.MinInsyncReplicas));
    }

    [Fact]
    public void Override_beats_the_dedicated_option_because_it_comes_later()
    {
        var options = Load(string.Empty, new Hashtable(), "--listeners", "PLAINTEXT://:1", "--override", "listeners=PLAINTEXT://:2", "--override", "log.retention.ms=5");
        Assert.Equal(2, options.ListenPort);
        Assert.Equal(5, options.LogRetentionMs);
    }

    [Fact]
    public void Environment_names_map_to_kafka_names()
    {
        var env = new Hashtable { ["FRESHET_LOG_RETENTION_HOURS"] = "2", ["FRESHET_AUTO_CREATE_TOPICS_ENABLE"] = "false", ["PATH"] = "/bin", ["FRESHET_"] = "x" };
        var settings = ServerSettings.FromEnvironment(env).ToList();
        Assert.Equal(
            [new("auto.create.topics.enable", "false"), new("log.retention.hours", "2")],
            settings);
    }

    [Fact]
    public void Command_line_options_map_to_kafka_names()
    {
        var args = ServeCommand.Parse("--listeners", "PLAINTEXT://:9093", "--advertised-listeners", "PLAINTEXT://example.com:9093",
            "--data-dir", "/data", "--node-id", "5", "--override", "a.b=c=d", "--override", "x=");
        Assert.Equal(
            [new("listeners", "PLAINTEXT://:9093"), new("advertised.listeners", "PLAINTEXT://example.com:9093"), new("log.dirs", "/data"),
             new("node.id", "5"), new("a.b", "c=d"), new("x", "")],
            ServerSettings.FromCommandLine(args).ToList());
    }

    [Fact]
    public void Malformed_override_is_a_config_error()
    {
        var args = ServeCommand.Parse("--override", "num.partitions");
        var e = Assert.Throws<ConfigException>(() => ServerSettings.Collect(args, new Hashtable()));
        Assert.Equal("invalid --override 'num.partitions' (expected key=value)", e.Message);
    }

    [Fact]
    public void Unreadable_config_file_is_a_config_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), "freshet-missing", "server.properties");
        var args = ServeCommand.Parse("--config", missing);
        var e = Assert.Throws<ConfigException>(() => ServerSettings.Collect(args, new Hashtable()));
        Assert.StartsWith($"cannot read config file '{missing}': ", e.Message);
    }

    [Fact]
    public void No_arguments_means_loopback_9092_and_data_dir()
    {
        var options = BrokerConfigLoader.Load(ServerSettings.Collect(ServeCommand.Parse(), new Hashtable()));
        Assert.Equal(("127.0.0.1", 9092, "./data"), (options.ListenHost, options.ListenPort, options.LogDirs[0]));
    }
}
