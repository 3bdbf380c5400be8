using System.Globalization;

namespace Freshet.Server.Cluster;

/// <summary>Where one node of a local cluster listens and keeps its data, and its process.roles.</summary>
internal sealed record NodePlan(int NodeId, string Host, int KafkaPort, int ControllerPort, string DataDir, string Roles = NodePlan.Combined)
{
    public const string Combined = "broker,controller";
    public const string ControllerOnly = "controller";
    public const string BrokerOnly = "broker";

    /// <summary>True for a voter of the controller quorum (a combined node or a dedicated controller).</summary>
    public bool IsController => Roles != BrokerOnly;

    /// <summary>True for a node clients connect to (a combined node or a broker-only node).</summary>
    public bool IsBroker => Roles != ControllerOnly;

    public string KafkaAddress => $"{Host}:{KafkaPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The Raft endpoint; "-" for a broker-only node, which has none.</summary>
    public string ControllerAddress => IsController ? $"{Host}:{ControllerPort.ToString(CultureInfo.InvariantCulture)}" : "-";

    /// <summary>This node's entry in <c>controller.quorum.voters</c>: id@host:port.</summary>
    public string Voter => $"{NodeId.ToString(CultureInfo.InvariantCulture)}@{ControllerAddress}";

    public string Listeners => IsController ? $"PLAINTEXT://{KafkaAddress},CONTROLLER://{ControllerAddress}" : $"PLAINTEXT://{KafkaAddress}";
}
