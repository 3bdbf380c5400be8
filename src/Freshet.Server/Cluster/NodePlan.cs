using System.Globalization;

namespace Freshet.Server.Cluster;

/// <summary>Where one node of a local cluster listens and keeps its data.</summary>
internal sealed record NodePlan(int NodeId, string Host, int KafkaPort, int ControllerPort, string DataDir)
{
    public string KafkaAddress => $"{Host}:{KafkaPort.ToString(CultureInfo.InvariantCulture)}";

    public string ControllerAddress => $"{Host}:{ControllerPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>This node's entry in <c>controller.quorum.voters</c>: id@host:port.</summary>
    public string Voter => $"{NodeId.ToString(CultureInfo.InvariantCulture)}@{ControllerAddress}";

    public string Listeners => $"PLAINTEXT://{KafkaAddress},CONTROLLER://{ControllerAddress}";
}
