using Freshet.Broker.Configuration;
using Freshet.Server.Cluster;

namespace Freshet.Server.Tests;

public class ClusterPlanTests
{
    private static int NoFreePort() => throw new InvalidOperationException("fixed ports were asked for");

    [Fact]
    public void Default_ports_count_up_from_9092_and_9192()
    {
        var plan = ClusterPlan.Build(new ClusterUpArguments { DataDir = "/data/c" }, NoFreePort);

        Assert.Equal([1, 2, 3], plan.Nodes.Select(n => n.NodeId));
        Assert.Equal([9092, 9093, 9094], plan.Nodes.Select(n => n.KafkaPort));
        Assert.Equal([9192, 9193, 9194], plan.Nodes.Select(n => n.ControllerPort));
        Assert.Equal(["/data/c/node-1", "/data/c/node-2", "/data/c/node-3"], plan.Nodes.Select(n => n.DataDir));
        Assert.Equal("1@127.0.0.1:9192,2@127.0.0.1:9193,3@127.0.0.1:9194", plan.QuorumVoters);
        Assert.Equal("127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094", plan.BootstrapServers);
    }

    [Fact]
    public void Each_node_serves_as_a_combined_voter_with_its_own_listeners_and_directory()
    {
        var plan = ClusterPlan.Build(
            new ClusterUpArguments { Nodes = 2, BasePort = 20000, ControllerBasePort = 21000, DataDir = "/d", Overrides = ["min.insync.replicas=2"], LogLevel = "warning" },
            NoFreePort);

        Assert.Equal(
            [
                "serve", "--node-id", "2",
                "--listeners", "PLAINTEXT://127.0.0.1:20001,CONTROLLER://127.0.0.1:21001",
                "--data-dir", "/d/node-2",
                "--override", "process.roles=broker,controller",
                "--override", "controller.quorum.voters=1@127.0.0.1:21000,2@127.0.0.1:21001",
                "--log-level", "warning",
                "--override", "min.insync.replicas=2",
            ],
            plan.ServeArguments(plan.Nodes[1]));
    }

    [Fact]
    public void Controllers_come_first_as_the_voters_and_brokers_follow_them_through_their_client_ports()
    {
        var plan = ClusterPlan.Build(new ClusterUpArguments { Controllers = 3, Nodes = 2, DataDir = "/d" }, NoFreePort);

        Assert.Equal(["controller", "controller", "controller", "broker", "broker"], plan.Nodes.Select(n => n.Roles));
        Assert.Equal("1@127.0.0.1:9192,2@127.0.0.1:9193,3@127.0.0.1:9194", plan.QuorumVoters);
        Assert.Equal("127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094", plan.ControllerBootstrapServers);
        Assert.Equal("127.0.0.1:9095,127.0.0.1:9096", plan.BootstrapServers);
        Assert.Equal(
            [
                "serve", "--node-id", "4",
                "--listeners", "PLAINTEXT://127.0.0.1:9095",
                "--data-dir", "/d/node-4",
                "--override", "process.roles=broker",
                "--override", "controller.quorum.voters=" + plan.QuorumVoters,
                "--log-level", "information",
                "--override", "controller.quorum.bootstrap.servers=" + plan.ControllerBootstrapServers,
            ],
            plan.ServeArguments(plan.Nodes[3]));
        Assert.Equal("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9192", plan.Nodes[0].Listeners);
    }

    [Fact]
    public void The_serve_arguments_parse_as_serve_options()
    {
        var plan = ClusterPlan.Build(new ClusterUpArguments { Overrides = ["num.partitions=3"] }, NoFreePort);
        var serve = Freshet.Server.Cli.ServeCommand.Parse([.. plan.ServeArguments(plan.Nodes[0]).Skip(1)]);

        Assert.Equal("1", serve.NodeId);
        Assert.Equal("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9192", serve.Listeners);
        Assert.Equal(["process.roles=broker,controller", "controller.quorum.voters=" + plan.QuorumVoters, "num.partitions=3"], serve.Overrides);
    }

    [Fact]
    public void Base_port_zero_takes_a_free_port_for_every_listener()
    {
        var next = 40000;
        var plan = ClusterPlan.Build(new ClusterUpArguments { BasePort = 0 }, () => next++);

        Assert.Equal([40000, 40002, 40004], plan.Nodes.Select(n => n.KafkaPort));
        Assert.Equal([40001, 40003, 40005], plan.Nodes.Select(n => n.ControllerPort));
    }

    [Fact]
    public void The_controller_ports_follow_a_custom_base_port()
    {
        var plan = ClusterPlan.Build(new ClusterUpArguments { BasePort = 30000 }, NoFreePort);

        Assert.Equal([30100, 30101, 30102], plan.Nodes.Select(n => n.ControllerPort));
    }

    [Fact]
    public void The_relative_data_dir_becomes_absolute()
    {
        var plan = ClusterPlan.Build(new ClusterUpArguments { Nodes = 1 }, NoFreePort);

        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "cluster-data", "node-1"), plan.Nodes[0].DataDir);
    }

    [Theory]
    [InlineData(0, 9092, null, "--nodes must be between 1 and 99, not 0")]
    [InlineData(100, 9092, null, "--nodes must be between 1 and 99, not 100")]
    [InlineData(3, 65534, 1000, "--base-port 65534 leaves no room for 3 ports below 65536")]
    [InlineData(3, 9092, 65535, "--controller-base-port 65535 leaves no room for 3 ports below 65536")]
    [InlineData(3, 9092, 9094, "the client ports from 9092 and the controller ports from 9094 overlap")]
    [InlineData(3, 9094, 9092, "the client ports from 9094 and the controller ports from 9092 overlap")]
    public void Impossible_layouts_are_usage_errors(int nodes, int basePort, int? controllerBasePort, string message)
    {
        var e = Assert.Throws<ConfigException>(() =>
            ClusterPlan.Build(new ClusterUpArguments { Nodes = nodes, BasePort = basePort, ControllerBasePort = controllerBasePort }, NoFreePort));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("node.id=4")]
    [InlineData("listeners=PLAINTEXT://:1")]
    [InlineData("log.dirs=/x")]
    [InlineData(" controller.quorum.voters =1@h:1")]
    [InlineData("process.roles=broker")]
    public void Overrides_of_what_the_command_sets_per_node_are_refused(string setting)
    {
        var e = Assert.Throws<ConfigException>(() => ClusterPlan.Build(new ClusterUpArguments { Overrides = [setting] }, NoFreePort));
        Assert.Contains("is set per node by 'cluster up'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_without_a_value_is_refused()
    {
        var e = Assert.Throws<ConfigException>(() => ClusterPlan.Build(new ClusterUpArguments { Overrides = ["num.partitions"] }, NoFreePort));
        Assert.Equal("invalid --override 'num.partitions' (expected key=value)", e.Message);
    }

    [Fact]
    public void The_table_lists_every_node_and_the_bootstrap_string()
    {
        var plan = ClusterPlan.Build(new ClusterUpArguments { Nodes = 2, DataDir = "/d" }, NoFreePort);
        using var output = new StringWriter { NewLine = "\n" };

        ClusterTable.Write(plan, [101, 102], output);

        Assert.Equal(
            "node  roles              kafka           controller      pid  data dir\n"
            + "1     broker,controller  127.0.0.1:9092  127.0.0.1:9192  101  /d/node-1\n"
            + "2     broker,controller  127.0.0.1:9093  127.0.0.1:9193  102  /d/node-2\n"
            + "\n"
            + "bootstrap.servers=127.0.0.1:9092,127.0.0.1:9093\n",
            output.ToString());
    }
}
