using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Freshet.Metadata.Quorum;

/// <summary>
/// Free ports for a node to listen on later, when the port must be known before the node starts (a controller
/// quorum's voters all name each other's ports; a quorum of one still needs a Raft listener). They are taken below the
/// kernel's ephemeral range: a port the kernel hands out for "any free port" comes from the same range as the local
/// ports of outgoing connections, so between the probe that found it free and the node's bind, another node's
/// connect() could take it ("Address already in use").
/// Ports below the range are never given to connections, and they are handed out from a random start so that
/// separate processes picking at the same time do not probe the same ones.
/// </summary>
public static class ListenPorts
{
    private const int Lowest = 10_000;
    private static readonly int s_span = EphemeralLow() - Lowest;
    private static int s_next = Random.Shared.Next(Math.Max(1, s_span));

    public static int TakeFree()
    {
        if (s_span < 1_000)
            return AnyFreePort();
        for (var attempt = 0; attempt < s_span; attempt++)
        {
            var port = Lowest + (int)((uint)Interlocked.Increment(ref s_next) % (uint)s_span);
            if (IsFree(port))
                return port;
        }
        throw new InvalidOperationException($"No free port between {Lowest} and {Lowest + s_span}.");
    }

    /// <summary>Probes the wildcard address, so a port some process holds on any one address counts as taken.</summary>
    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Any, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int AnyFreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The first port of <c>ip_local_port_range</c>; Linux's default where it cannot be read.</summary>
    private static int EphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
