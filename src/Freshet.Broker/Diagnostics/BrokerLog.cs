using System.Net;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Diagnostics;

/// <summary>The broker's log messages, source-generated so a disabled level costs nothing.</summary>
internal static partial class BrokerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Listening on {EndPoint}, advertised as {Advertised}")]
    public static partial void Listening(ILogger logger, EndPoint endPoint, string advertised);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker {NodeId} of cluster {ClusterId} started in {ElapsedMs} ms with {TopicCount} topic(s) and {PartitionCount} partition(s)")]
    public static partial void Started(ILogger logger, int nodeId, string clusterId, long elapsedMs, int topicCount, int partitionCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up phases, ms since the broker began starting: {Phases}")]
    public static partial void StartupPhases(ILogger logger, string phases);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created topic {Topic} ({TopicId}) with {Partitions} partition(s)")]
    public static partial void TopicCreated(ILogger logger, string topic, string topicId, int partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted topic {Topic}")]
    public static partial void TopicDeleted(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} now overrides {Configs}")]
    public static partial void TopicConfigsAltered(ILogger logger, string topic, string configs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing connection {ConnectionId} from {Remote}: frame size {Size} is invalid or over the limit of {Limit} bytes")]
    public static partial void BadFrameSize(ILogger logger, long connectionId, EndPoint? remote, int size, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing connection {ConnectionId} from {Remote}: {Reason}")]
    public static partial void ClosingConnection(ILogger logger, long connectionId, EndPoint? remote, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} from {Remote} ended: {Reason}")]
    public static partial void ConnectionFaulted(ILogger logger, long connectionId, EndPoint? remote, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a connection from {Remote}: max.connections ({Limit}) reached")]
    public static partial void ConnectionRefused(ILogger logger, EndPoint? remote, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting a connection failed: {Reason}")]
    public static partial void AcceptFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler for {ApiKey} v{Version} failed on connection {ConnectionId}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string apiKey, short version, long connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing offset checkpoints failed: {Reason}")]
    public static partial void CheckpointFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pass failed: {Reason}")]
    public static partial void RetentionFailed(ILogger logger, string reason);
}
