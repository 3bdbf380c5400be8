using Freshet.Broker.Configuration;
using Freshet.Metadata.Quorum;

namespace Freshet.Broker.Cluster;

/// <summary>
/// Checks that <c>process.roles</c> fits the rest of the cluster configuration, as Kafka does at start-up: a
/// controller is one of <c>controller.quorum.voters</c>; a broker-only node is not, and knows where the controllers'
/// Kafka-protocol listeners are (<c>controller.quorum.bootstrap.servers</c>).
/// </summary>
public static class RoleSettings
{
    /// <exception cref="ConfigException">The roles contradict the voters, listeners or bootstrap servers.</exception>
    public static void Validate(BrokerOptions options)
    {
        var voters = options.ControllerQuorumVoters is { } text ? ParseVoters(text) : null;
        if (!options.IsBroker)
        {
            if (voters is null)
                throw new ConfigException("controller.quorum.voters", "", "a dedicated controller (process.roles=controller) needs controller.quorum.voters naming it and the other controllers");
        }
        if (options.IsController)
        {
            if (voters is not null && !Contains(voters, options.NodeId))
                throw new ConfigException("controller.quorum.voters", options.ControllerQuorumVoters!, $"node.id {options.NodeId} is not among the voters, but process.roles={options.ProcessRoles} makes it a controller");
            return;
        }
        if (voters is null)
            throw new ConfigException("controller.quorum.voters", "", "a broker-only node (process.roles=broker) needs controller.quorum.voters, the quorum whose metadata it follows");
        if (Contains(voters, options.NodeId))
            throw new ConfigException("controller.quorum.voters", options.ControllerQuorumVoters!, $"node.id {options.NodeId} is a voter, but a broker-only node (process.roles=broker) does not vote: make it broker,controller or take it out of the voters");
        if (options.ControllerPort != 0)
            throw new ConfigException("listeners", $"CONTROLLER://{options.ControllerHost}:{options.ControllerPort}", "a broker-only node (process.roles=broker) has no CONTROLLER listener");
        BootstrapServers(options);
    }

    /// <summary>The controllers' Kafka-protocol endpoints a broker-only node starts from.</summary>
    /// <exception cref="ConfigException">controller.quorum.bootstrap.servers is missing or malformed.</exception>
    public static IReadOnlyList<ListenerAddress> BootstrapServers(BrokerOptions options)
    {
        if (options.ControllerQuorumBootstrapServers is not { } text)
            throw new ConfigException("controller.quorum.bootstrap.servers", "", "a broker-only node (process.roles=broker) needs the controllers' PLAINTEXT listeners, as host:port,host:port");
        var servers = new List<ListenerAddress>();
        foreach (var item in ConfigRule.SplitList(text))
            servers.Add(ListenerAddress.Parse("controller.quorum.bootstrap.servers", item, allowPortZero: false));
        return servers.Count > 0
            ? servers
            : throw new ConfigException("controller.quorum.bootstrap.servers", text, "names no controller");
    }

    private static IReadOnlyList<QuorumVoter> ParseVoters(string text)
    {
        try
        {
            return QuorumVoters.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ConfigException("controller.quorum.voters", text, e.Message);
        }
    }

    private static bool Contains(IReadOnlyList<QuorumVoter> voters, int nodeId)
    {
        foreach (var voter in voters)
        {
            if (voter.Id == nodeId)
            {
                return true;
            }
        }
        return false;
    }
}
