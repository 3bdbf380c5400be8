using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Diagnostics;

/// <summary>Log messages of partition roles and replica fetchers.</summary>
internal static partial class ReplicationLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}-{Partition}: leader in epoch {LeaderEpoch} from offset {StartOffset}")]
    public static partial void BecameLeader(ILogger logger, string topic, int partition, int leaderEpoch, long startOffset);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}-{Partition}: follower of broker {LeaderId} in epoch {LeaderEpoch}")]
    public static partial void BecameFollower(ILogger logger, string topic, int partition, int leaderId, int leaderEpoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica fetcher for broker {BrokerId}: {Error}; retrying in {BackoffMs} ms")]
    public static partial void FetchFailed(ILogger logger, int brokerId, string error, int backoffMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}-{Partition}: truncated from {OldEnd} to {NewEnd} ({Reason})")]
    public static partial void Truncated(ILogger logger, string topic, int partition, long oldEnd, long newEnd, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Topic}-{Partition}: fetch from broker {BrokerId} answered {Error}; waiting for the next leadership")]
    public static partial void PartitionFetchError(ILogger logger, string topic, int partition, int brokerId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Replica fetcher for broker {BrokerId} failed; retrying")]
    public static partial void FetcherFault(ILogger logger, int brokerId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Topic}-{Partition}: client {ClientId} in rack {Rack} reads from broker {BrokerId} at offset {FetchOffset}")]
    public static partial void PreferredReadReplica(ILogger logger, string topic, int partition, string clientId, string rack, int brokerId, long fetchOffset);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Topic}-{Partition}: served client {ClientId} {Bytes} bytes from offset {FetchOffset} as a follower")]
    public static partial void ServedAsFollower(ILogger logger, string topic, int partition, string clientId, long fetchOffset, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}-{Partition}: ISR is now [{Isr}] (leader epoch {LeaderEpoch}, partition epoch {PartitionEpoch})")]
    public static partial void IsrChanged(ILogger logger, string topic, int partition, string isr, int leaderEpoch, int partitionEpoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}-{Partition}: ISR change to [{Isr}] in leader epoch {LeaderEpoch}, partition epoch {PartitionEpoch} failed: {Error}; proposed again at the next check")]
    public static partial void IsrChangeRefused(ILogger logger, string topic, int partition, string isr, int leaderEpoch, int partitionEpoch, string error);
}
