using Freshet.Broker.Configuration;

namespace Freshet.Broker.Groups;

/// <summary>The group settings the coordinator acts on, taken from the broker's options.</summary>
internal sealed record GroupCoordinatorOptions
{
    public TimeSpan InitialRebalanceDelay { get; init; } = TimeSpan.FromSeconds(3);

    public int MinSessionTimeoutMs { get; init; } = 6000;

    public int MaxSessionTimeoutMs { get; init; } = 1800000;

    public int MaxSize { get; init; } = int.MaxValue;

    public TimeSpan OffsetsRetention { get; init; } = TimeSpan.FromDays(7);

    public TimeSpan OffsetsRetentionCheckInterval { get; init; } = TimeSpan.FromMinutes(10);

    public int OffsetMetadataMaxBytes { get; init; } = 4096;

    /// <summary>How often deadlines (sessions, rebalance and sync timeouts, the initial delay) are checked.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public static GroupCoordinatorOptions From(BrokerOptions options) => new()
    {
        InitialRebalanceDelay = TimeSpan.FromMilliseconds(options.GroupInitialRebalanceDelayMs),
        MinSessionTimeoutMs = options.GroupMinSessionTimeoutMs,
        MaxSessionTimeoutMs = options.GroupMaxSessionTimeoutMs,
        MaxSize = options.GroupMaxSize,
        OffsetsRetention = TimeSpan.FromMilliseconds(options.OffsetsRetentionMs),
        OffsetsRetentionCheckInterval = TimeSpan.FromMilliseconds(options.OffsetsRetentionCheckIntervalMs),
        OffsetMetadataMaxBytes = options.OffsetMetadataMaxBytes,
    };
}
