using Freshet.Metadata.Quorum;

namespace Freshet.Metadata.Tests.Quorum;

public class QuorumVotersTests
{
    [Fact]
    public void Parses_ids_hosts_and_ports()
    {
        var voters = QuorumVoters.Parse("1@localhost:9093, 2@10.0.0.2:9094,3@[::1]:9095");

        Assert.Equal(
            [new QuorumVoter(1, "localhost", 9093), new QuorumVoter(2, "10.0.0.2", 9094), new QuorumVoter(3, "::1", 9095)],
            voters);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost:9093")]
    [InlineData("x@localhost:9093")]
    [InlineData("1@localhost")]
    [InlineData("1@localhost:99999")]
    [InlineData("1@a:1,1@b:2")]
    public void Rejects_malformed_voter_lists(string value)
    {
        Assert.Throws<FormatException>(() => QuorumVoters.Parse(value));
    }
}
