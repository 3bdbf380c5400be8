namespace Freshet.Broker.Groups;

/// <summary>The classic group protocol's states, as Kafka's GroupCoordinator names them.</summary>
internal enum GroupState
{
    /// <summary>No members; the group may still hold committed offsets.</summary>
    Empty,

    /// <summary>Members are (re)joining; JoinGroup waits until all have or the rebalance timeout passes.</summary>
    PreparingRebalance,

    /// <summary>Joins answered; waiting for the leader's assignment in SyncGroup.</summary>
    CompletingRebalance,

    /// <summary>Assignments handed out; members heartbeat.</summary>
    Stable,

    /// <summary>Deleted; any request that still holds it retries and finds a new group.</summary>
    Dead,
}

internal static class GroupStateNames
{
    /// <summary>The name DescribeGroups and ListGroups report (Kafka's GroupState.toString).</summary>
    public static string ToKafkaName(this GroupState state) => state switch
    {
        GroupState.Empty => "Empty",
        GroupState.PreparingRebalance => "PreparingRebalance",
        GroupState.CompletingRebalance => "CompletingRebalance",
        GroupState.Stable => "Stable",
        _ => "Dead",
    };
}
