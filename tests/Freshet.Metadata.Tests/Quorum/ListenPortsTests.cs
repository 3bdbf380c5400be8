using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Freshet.Metadata.Quorum;

namespace Freshet.Metadata.Tests.Quorum;

public class ListenPortsTests
{
    [Fact]
    public void Ports_are_below_the_ephemeral_range_distinct_and_bindable()
    {
        var ephemeralLow = int.Parse(
            File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0],
            CultureInfo.InvariantCulture);
        var ports = new HashSet<int>();
        for (var i = 0; i < 50; i++)
        {
            var port = ListenPorts.TakeFree();
            Assert.InRange(port, 10_000, ephemeralLow - 1);
            Assert.True(ports.Add(port), $"port {port} was handed out twice");
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }
}
