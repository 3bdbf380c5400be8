namespace Freshet.Broker.Hosting;

/// <summary>This broker as clients see it in Metadata: its id and advertised address.</summary>
internal sealed record BrokerNode(int NodeId, string Host, int Port, string ClusterId);
