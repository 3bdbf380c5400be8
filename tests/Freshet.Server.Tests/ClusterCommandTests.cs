using Freshet.Server.Cli;
using Freshet.Server.Cluster;

namespace Freshet.Server.Tests;

public class ClusterCommandTests
{
    [Fact]
    public void No_options_mean_three_nodes_from_port_9092_under_cluster_data()
    {
        var args = ClusterCommand.ParseUp();

        Assert.Equal(3, args.Nodes);
        Assert.Equal(9092, args.BasePort);
        Assert.Null(args.ControllerBasePort);
        Assert.Equal("127.0.0.1", args.Host);
        Assert.Equal("cluster-data", args.DataDir);
        Assert.Empty(args.Overrides);
        Assert.Equal("information", args.LogLevel);
    }

    [Fact]
    public void Every_option_is_bound()
    {
        var args = ClusterCommand.ParseUp(
            "--nodes", "5", "--base-port", "29092", "--controller-base-port", "39092", "--host", "127.0.0.2",
            "-d", "/tmp/c", "--override", "min.insync.replicas=2", "--override", "num.partitions=3", "--log-level", "debug");

        Assert.Equal(5, args.Nodes);
        Assert.Equal(29092, args.BasePort);
        Assert.Equal(39092, args.ControllerBasePort);
        Assert.Equal("127.0.0.2", args.Host);
        Assert.Equal("/tmp/c", args.DataDir);
        Assert.Equal(["min.insync.replicas=2", "num.partitions=3"], args.Overrides);
        Assert.Equal("debug", args.LogLevel);
    }

    [Theory]
    [InlineData("--nodes", "many")]
    [InlineData("--base-port", "x")]
    [InlineData("--unknown", "1")]
    public void Malformed_options_are_rejected(string option, string value) =>
        Assert.Throws<ArgumentException>(() => ClusterCommand.ParseUp(option, value));

    [Fact]
    public void The_dotnet_host_runs_the_entry_assembly_first()
    {
        var (fileName, leading) = SelfLauncher.Command("/usr/lib/dotnet/dotnet", "/opt/freshet/freshet.dll");

        Assert.Equal("/usr/lib/dotnet/dotnet", fileName);
        Assert.Equal(["/opt/freshet/freshet.dll"], leading);
    }

    [Fact]
    public void The_published_executable_runs_as_itself()
    {
        var (fileName, leading) = SelfLauncher.Command("/opt/freshet/freshet", "/opt/freshet/freshet.dll");

        Assert.Equal("/opt/freshet/freshet", fileName);
        Assert.Empty(leading);
    }
}
