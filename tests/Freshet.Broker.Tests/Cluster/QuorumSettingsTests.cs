using Freshet.Broker.Cluster;
using Freshet.Broker.Configuration;

namespace Freshet.Broker.Tests.Cluster;

public sealed class QuorumSettingsTests
{
    [Fact]
    public void Without_voters_a_node_is_a_quorum_of_itself_on_a_free_port()
    {
        var options = new BrokerOptions { NodeId = 4, LogDirs = ["/data/a", "/data/b"] };

        var quorum = QuorumSettings.For(options, "/data/a");

        var voter = Assert.Single(quorum.Voters);
        Assert.Equal(4, voter.Id);
        Assert.InRange(voter.Port, 1, 65535);
        Assert.Equal("/data/a", quorum.MetadataLogDir);
        Assert.True(quorum.ElectionTimeoutMs <= 20);
        Assert.True(QuorumSettings.IsSingleNode(options));
        Assert.Null(QuorumSettings.DefaultClusterId(options));
        Assert.Equal(1, QuorumSettings.CapAtQuorumSize(options, 3));
    }

    [Fact]
    public void With_voters_the_node_must_be_one_of_them()
    {
        var options = new BrokerOptions { NodeId = 2, ControllerQuorumVoters = "1@h1:9093,2@h2:9093,3@h3:9093", MetadataLogDir = "/meta" };

        var quorum = QuorumSettings.For(options, "/data");

        Assert.Equal([1, 2, 3], quorum.Voters.Select(v => v.Id));
        Assert.Equal("/meta", quorum.MetadataLogDir);
        Assert.Equal(options.ControllerQuorumElectionTimeoutMs, quorum.ElectionTimeoutMs);
        Assert.Equal(3, QuorumSettings.CapAtQuorumSize(options, 3));
        Assert.Equal(2, QuorumSettings.CapAtQuorumSize(options, 2));

        var stranger = new BrokerOptions { NodeId = 9, ControllerQuorumVoters = "1@h1:9093,2@h2:9093" };
        var e = Assert.Throws<ConfigException>(() => QuorumSettings.For(stranger, "/data"));
        Assert.Equal("controller.quorum.voters", e.PropertyName);
        Assert.Throws<ConfigException>(() => QuorumSettings.For(new BrokerOptions { ControllerQuorumVoters = "1@h1" }, "/data"));
    }

    [Fact]
    public void Nodes_of_one_quorum_derive_the_same_cluster_id_and_other_quorums_another()
    {
        var one = QuorumSettings.DefaultClusterId(new BrokerOptions { NodeId = 1, ControllerQuorumVoters = "1@h:1,2@h:2,3@h:3" });
        var two = QuorumSettings.DefaultClusterId(new BrokerOptions { NodeId = 2, ControllerQuorumVoters = "3@h:3, 2@h:2, 1@h:1" });
        var other = QuorumSettings.DefaultClusterId(new BrokerOptions { NodeId = 1, ControllerQuorumVoters = "1@h:1,2@h:2,3@h:4" });

        Assert.NotNull(one);
        Assert.Equal(22, one.Length);
        Assert.Equal(one, two);
        Assert.NotEqual(one, other);
        Assert.Equal("given", QuorumSettings.DefaultClusterId(new BrokerOptions { ClusterId = "given", ControllerQuorumVoters = "1@h:1,2@h:2" }));
    }
}
