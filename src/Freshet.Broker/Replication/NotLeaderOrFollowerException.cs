namespace Freshet.Broker.Replication;

/// <summary>A leader's operation on a partition this broker does not lead (any more): NOT_LEADER_OR_FOLLOWER.</summary>
internal sealed class NotLeaderOrFollowerException(string message) : Exception(message);
