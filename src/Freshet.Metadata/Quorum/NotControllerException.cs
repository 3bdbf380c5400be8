namespace Freshet.Metadata.Quorum;

/// <summary>The local node is not (or stopped being) the active controller; Kafka answers NOT_CONTROLLER.</summary>
public sealed class NotControllerException(string message) : InvalidOperationException(message);
