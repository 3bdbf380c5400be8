using System.Net;
using System.Net.Sockets;

namespace Freshet.Metadata.Quorum;

/// <summary>One entry of <c>controller.quorum.voters</c>: <c>id@host:port</c>.</summary>
public sealed record QuorumVoter(int Id, string Host, int Port)
{
    /// <summary>
    /// Raft identifies members by address, so every node must turn the same voter into the same
    /// address: literal IPs are used as they are, names are resolved (IPv4 first) once at start-up.
    /// </summary>
    public IPEndPoint ResolveEndPoint()
    {
        if (IPAddress.TryParse(Host, out var literal))
            return new IPEndPoint(literal, Port);
        var addresses = Dns.GetHostAddresses(Host);
        foreach (var address in addresses)
        {
            if (address.AddressFamily == AddressFamily.InterNetwork)
                return new IPEndPoint(address, Port);
        }
        return addresses.Length > 0
            ? new IPEndPoint(addresses[0], Port)
            : throw new ArgumentException($"Controller quorum voter host '{Host}' does not resolve.");
    }

    public override string ToString() => $"{Id}@{Host}:{Port}";
}
