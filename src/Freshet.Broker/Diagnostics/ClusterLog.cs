using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Diagnostics;

/// <summary>Log messages of the cluster layer: quorum, registration, heartbeats and metadata publishing.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The controller at {Controller} is unreachable: {Reason}")]
    public static partial void ControllerUnreachable(ILogger logger, string controller, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered with the controller as broker {NodeId}, broker epoch {BrokerEpoch}")]
    public static partial void Registered(ILogger logger, int nodeId, long brokerEpoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker {NodeId} is unfenced at metadata offset {Offset}")]
    public static partial void Unfenced(ILogger logger, int nodeId, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker {NodeId} was fenced by the controller; registering again")]
    public static partial void Fenced(ILogger logger, int nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat to the controller failed: {Error}")]
    public static partial void HeartbeatFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Controlled shutdown: {Outcome}")]
    public static partial void ControlledShutdown(ILogger logger, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying metadata image at offset {Offset} failed")]
    public static partial void PublishFailed(ILogger logger, long offset, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Controller quorum of {Voters} voter(s) has leader {LeaderId}")]
    public static partial void QuorumReady(ILogger logger, int voters, int leaderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching the metadata log from the controller at {Controller} failed: {Reason}")]
    public static partial void MetadataFetchFailed(ILogger logger, string controller, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded the metadata snapshot at offset {Offset} ({Bytes} bytes) from the controllers")]
    public static partial void MetadataSnapshotLoaded(ILogger logger, long offset, int bytes);
}
