using Freshet.Broker.Cluster;
using Freshet.Broker.Configuration;

namespace Freshet.Server.Tests;

public class RoleSettingsTests
{
    private const string Voters = "1@127.0.0.1:9191,2@127.0.0.1:9192,3@127.0.0.1:9193";

    private static BrokerOptions Load(params (string Key, string Value)[] settings) =>
        BrokerConfigLoader.Load(settings.Select(s => new KeyValuePair<string, string>(s.Key, s.Value)));

    [Theory]
    [InlineData("broker,controller", true, true)]
    [InlineData("controller,broker", true, true)]
    [InlineData("broker", true, false)]
    [InlineData("controller", false, true)]
    public void Process_roles_take_kafkas_three_shapes(string roles, bool broker, bool controller)
    {
        var options = Load(("process.roles", roles));

        Assert.Equal((broker, controller), (options.IsBroker, options.IsController));
    }

    [Theory]
    [InlineData("")]
    [InlineData("zookeeper")]
    [InlineData("broker,observer")]
    public void Unknown_roles_are_refused_naming_process_roles(string roles)
    {
        var e = Assert.Throws<ConfigException>(() => Load(("process.roles", roles)));

        Assert.Equal("process.roles", e.PropertyName);
    }

    [Fact]
    public void A_combined_node_alone_needs_nothing_else()
    {
        RoleSettings.Validate(Load());
    }

    [Theory]
    [InlineData("controller")]
    [InlineData("broker,controller")]
    public void A_controller_must_be_one_of_the_voters(string roles)
    {
        var e = Assert.Throws<ConfigException>(() => RoleSettings.Validate(Load(("process.roles", roles), ("node.id", "4"), ("controller.quorum.voters", Voters))));

        Assert.Equal("controller.quorum.voters", e.PropertyName);
        Assert.Contains("node.id 4 is not among the voters", e.Message);
    }

    [Fact]
    public void A_dedicated_controller_needs_the_voters()
    {
        var e = Assert.Throws<ConfigException>(() => RoleSettings.Validate(Load(("process.roles", "controller"))));

        Assert.Equal("controller.quorum.voters", e.PropertyName);
    }

    [Fact]
    public void A_broker_only_node_listed_as_a_voter_is_refused()
    {
        var e = Assert.Throws<ConfigException>(() => RoleSettings.Validate(Load(
            ("process.roles", "broker"), ("node.id", "2"), ("controller.quorum.voters", Voters), ("controller.quorum.bootstrap.servers", "127.0.0.1:9291"))));

        Assert.Equal("controller.quorum.voters", e.PropertyName);
        Assert.Contains("does not vote", e.Message);
    }

    [Fact]
    public void A_broker_only_node_needs_voters_and_the_controllers_bootstrap_servers()
    {
        var noVoters = Assert.Throws<ConfigException>(() => RoleSettings.Validate(Load(("process.roles", "broker"), ("node.id", "4"))));
        var noBootstrap = Assert.Throws<ConfigException>(() => RoleSettings.Validate(Load(("process.roles", "broker"), ("node.id", "4"), ("controller.quorum.voters", Voters))));
        var badBootstrap = Assert.Throws<ConfigException>(() => RoleSettings.Validate(Load(
            ("process.roles", "broker"), ("node.id", "4"), ("controller.quorum.voters", Voters), ("controller.quorum.bootstrap.servers", "127.0.0.1:notaport"))));

        Assert.Equal("controller.quorum.voters", noVoters.PropertyName);
        Assert.Equal("controller.quorum.bootstrap.servers", noBootstrap.PropertyName);
        Assert.Equal("controller.quorum.bootstrap.servers", badBootstrap.PropertyName);
    }

    [Fact]
    public void A_broker_only_node_has_no_controller_listener()
    {
        var e = Assert.Throws<ConfigException>(() => RoleSettings.Validate(Load(
            ("process.roles", "broker"), ("node.id", "4"), ("controller.quorum.voters", Voters), ("controller.quorum.bootstrap.servers", "127.0.0.1:9291"),
            ("listeners", "PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9194"))));

        Assert.Equal("listeners", e.PropertyName);
    }

    [Fact]
    public void A_well_formed_broker_only_node_names_its_controllers()
    {
        var options = Load(
            ("process.roles", "broker"), ("node.id", "4"), ("controller.quorum.voters", Voters),
            ("controller.quorum.bootstrap.servers", "127.0.0.1:9291, 127.0.0.1:9292,127.0.0.1:9293"));

        RoleSettings.Validate(options);
        var servers = RoleSettings.BootstrapServers(options);

        Assert.Equal([9291, 9292, 9293], servers.Select(s => s.Port));
    }
}
