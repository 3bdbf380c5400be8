using Freshet.Broker.Configuration;
using Freshet.Metadata.Quorum;

namespace Freshet.Broker.Cluster;

/// <summary>Turns the broker's configs into the controller quorum's options.</summary>
internal static class QuorumSettings
{
    // With one voter there is nobody to split a vote with, so the node may elect itself almost at once.
    private const int SingleVoterElectionTimeoutMs = 20;

    /// <exception cref="ConfigException">controller.quorum.voters is malformed or does not name this node.</exception>
    public static ControllerQuorumOptions For(BrokerOptions options, string firstLogDir)
    {
        RoleSettings.Validate(options);
        var voters = Voters(options);
        var alone = voters.Count == 1;
        return new ControllerQuorumOptions
        {
            NodeId = options.NodeId,
            Voters = voters,
            MetadataLogDir = Path.GetFullPath(options.MetadataLogDir ?? firstLogDir),
            ElectionTimeoutMs = alone ? Math.Min(SingleVoterElectionTimeoutMs, options.ControllerQuorumElectionTimeoutMs) : options.ControllerQuorumElectionTimeoutMs,
            RequestTimeoutMs = options.ControllerQuorumRequestTimeoutMs,
        };
    }

    /// <summary>True when this node is the whole quorum (no controller.quorum.voters, or only itself).</summary>
    public static bool IsSingleNode(BrokerOptions options) => Voters(options).Count == 1;

    /// <summary>
    /// The cluster id a node uses when <c>cluster.id</c> is not set. Alone, null (the storage layer generates one).
    /// In a quorum, every node must agree without being told, as Kafka's storage format step would have them: the id
    /// is derived from the voter list, which all nodes of one cluster share.
    /// </summary>
    public static string? DefaultClusterId(BrokerOptions options)
    {
        if (options.ClusterId is not null || options.ControllerQuorumVoters is null || Voters(options).Count == 1)
        {
            return options.ClusterId;
        }
        var canonical = new List<string>();
        foreach (var voter in Voters(options))
        {
            canonical.Add(voter.ToString());
        }
        canonical.Sort(StringComparer.Ordinal);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join(',', canonical)));
        return Convert.ToBase64String(hash, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// A replication factor capped at the number of nodes in the quorum when every controller is also a broker, so a
    /// small combined cluster has its internal topics; with dedicated nodes the quorum size says nothing of the brokers.
    /// </summary>
    public static short CapAtQuorumSize(BrokerOptions options, short replicationFactor) =>
        options.IsController
            ? (short)Math.Min(replicationFactor, options.ControllerQuorumVoters is not null ? Voters(options).Count : 1)
            : replicationFactor;

    private static IReadOnlyList<QuorumVoter> Voters(BrokerOptions options)
    {
        if (options.ControllerQuorumVoters is not { } text)
        {
            // Not configured: a quorum of this node alone. Nobody dials its endpoint, so any free port will do, as long
            // as no outgoing connection takes it before the Raft listener binds it.
            var port = options.ControllerPort != 0 ? options.ControllerPort : ListenPorts.TakeFree();
            return [new QuorumVoter(options.NodeId, options.ControllerHost, port)];
        }
        try
        {
            return QuorumVoters.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ConfigException("controller.quorum.voters", text, e.Message);
        }
    }
}
