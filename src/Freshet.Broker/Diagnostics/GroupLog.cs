using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Diagnostics;

/// <summary>The group coordinator's log messages.</summary>
internal static partial class GroupLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId} preparing to rebalance in generation {Generation}: {Reason}")]
    public static partial void Rebalancing(ILogger logger, string groupId, int generation, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId} generation {Generation} with protocol {Protocol} and {Members} member(s) waits for the leader's assignment")]
    public static partial void Stabilizing(ILogger logger, string groupId, int generation, string? protocol, int members);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId} generation {Generation} is stable with {Members} member(s)")]
    public static partial void Stable(ILogger logger, string groupId, int generation, int members);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId}: member {MemberId} removed ({Reason})")]
    public static partial void MemberRemoved(ILogger logger, string groupId, string memberId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId}: static member {InstanceId} rejoined, member id {OldMemberId} replaced by {NewMemberId}")]
    public static partial void StaticMemberReplaced(ILogger logger, string groupId, string instanceId, string oldMemberId, string newMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId}: {Count} committed offset(s) expired")]
    public static partial void OffsetsExpired(ILogger logger, string groupId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId} deleted")]
    public static partial void GroupDeleted(ILogger logger, string groupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Groups} group(s) from __consumer_offsets-{Partition} (leader epoch {LeaderEpoch}) in {ElapsedMs} ms")]
    public static partial void PartitionLoaded(ILogger logger, int partition, int leaderEpoch, int groups, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Load of __consumer_offsets-{Partition} (leader epoch {LeaderEpoch}) cancelled: leadership moved on")]
    public static partial void LoadCancelled(ILogger logger, int partition, int leaderEpoch);

    [LoggerMessage(Level = LogLevel.Error, Message = "Load of __consumer_offsets-{Partition} (leader epoch {LeaderEpoch}) failed: {Reason}")]
    public static partial void LoadFailed(ILogger logger, int partition, int leaderEpoch, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "No longer coordinating the groups of __consumer_offsets-{Partition} (leader epoch {LeaderEpoch})")]
    public static partial void Resigned(ILogger logger, int partition, int leaderEpoch);
}
