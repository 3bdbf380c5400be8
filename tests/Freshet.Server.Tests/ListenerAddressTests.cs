using Freshet.Broker.Configuration;

namespace Freshet.Server.Tests;

public class ListenerAddressTests
{
    [Theory]
    [InlineData("PLAINTEXT://localhost:9092", "localhost", 9092)]
    [InlineData("plaintext://10.0.0.1:19092", "10.0.0.1", 19092)]
    [InlineData("localhost:9092", "localhost", 9092)]
    [InlineData("PLAINTEXT://:9092", "0.0.0.0", 9092)]
    [InlineData(":9092", "0.0.0.0", 9092)]
    [InlineData("PLAINTEXT://[::1]:9092", "::1", 9092)]
    [InlineData("PLAINTEXT://127.0.0.1:0", "127.0.0.1", 0)]
    [InlineData("  PLAINTEXT://h:1  ", "h", 1)]
    public void Parses_kafka_listener_forms(string text, string host, int port)
    {
        var listener = ListenerAddress.ParseSingle("listeners", text, allowPortZero: true);
        Assert.Equal(ListenerAddress.Plaintext, listener.SecurityProtocol);
        Assert.Equal(host, listener.Host);
        Assert.Equal(port, listener.Port);
    }

    [Fact]
    public void Formats_back_to_kafka_form_with_ipv6_brackets()
    {
        Assert.Equal("PLAINTEXT://[::1]:9092", new ListenerAddress("PLAINTEXT", "::1", 9092).ToString());
        Assert.Equal("PLAINTEXT://h:1", new ListenerAddress("PLAINTEXT", "h", 1).ToString());
    }

    [Theory]
    [InlineData("SSL://:9093", "invalid value for listeners: 'SSL://:9093' (listener protocol SSL is not supported yet; use PLAINTEXT)")]
    [InlineData("SASL_SSL://h:9093", "invalid value for listeners: 'SASL_SSL://h:9093' (listener protocol SASL_SSL is not supported yet; use PLAINTEXT)")]
    [InlineData("INTERNAL://h:9093", "invalid value for listeners: 'INTERNAL://h:9093' (unknown listener protocol 'INTERNAL'; use PLAINTEXT://host:port)")]
    [InlineData("PLAINTEXT://h:99999", "invalid value for listeners: 'PLAINTEXT://h:99999' (expected a port between 0 and 65535)")]
    [InlineData("PLAINTEXT://h:abc", "invalid value for listeners: 'PLAINTEXT://h:abc' (expected a port between 0 and 65535)")]
    [InlineData("PLAINTEXT://h", "invalid value for listeners: 'PLAINTEXT://h' (expected PLAINTEXT://host:port)")]
    [InlineData("PLAINTEXT://::1:9092", "invalid value for listeners: 'PLAINTEXT://::1:9092' (expected an IPv6 host in brackets, like PLAINTEXT://[::1]:9092)")]
    [InlineData("PLAINTEXT://a:1,PLAINTEXT://b:2", "invalid value for listeners: 'PLAINTEXT://a:1,PLAINTEXT://b:2' (expected exactly one PLAINTEXT listener (and optionally one CONTROLLER listener))")]
    public void Bad_listeners_name_the_problem(string text, string message)
    {
        var e = Assert.Throws<ConfigException>(() => BrokerConfigLoader.Load([new("listeners", text)]));
        Assert.Equal(message, e.Message);
        Assert.Equal("listeners", e.PropertyName);
    }

    [Fact]
    public void Advertised_listener_needs_a_real_port()
    {
        var e = Assert.Throws<ConfigException>(() => BrokerConfigLoader.Load([new("advertised.listeners", "PLAINTEXT://h:0")]));
        Assert.Equal("invalid value for advertised.listeners: 'PLAINTEXT://h:0' (expected a port between 1 and 65535)", e.Message);
    }

    [Fact]
    public void A_node_listens_for_clients_and_for_the_controller_quorum()
    {
        var (client, controller) = ListenerAddress.ParseBrokerAndController("listeners", "PLAINTEXT://127.0.0.1:9092, CONTROLLER://127.0.0.1:9093");
        Assert.Equal(("127.0.0.1", 9092), (client.Host, client.Port));
        Assert.NotNull(controller);
        Assert.Equal((ListenerAddress.Controller, "127.0.0.1", 9093), (controller.SecurityProtocol, controller.Host, controller.Port));

        var (alone, none) = ListenerAddress.ParseBrokerAndController("listeners", "PLAINTEXT://:9092");
        Assert.Equal(9092, alone.Port);
        Assert.Null(none);
    }

    [Theory]
    [InlineData("CONTROLLER://h:9093", "expected a PLAINTEXT listener, like PLAINTEXT://127.0.0.1:9092")]
    [InlineData("PLAINTEXT://h:1,CONTROLLER://h:2,CONTROLLER://h:3", "expected at most one CONTROLLER listener")]
    [InlineData("PLAINTEXT://h:1,PLAINTEXT://h:2", "expected exactly one PLAINTEXT listener (and optionally one CONTROLLER listener)")]
    [InlineData("PLAINTEXT://h:1,CONTROLLER://h:x", "expected a port between 0 and 65535")]
    public void Bad_node_listeners_name_the_problem(string text, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => ListenerAddress.ParseBrokerAndController("listeners", text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
