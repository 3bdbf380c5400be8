using Freshet.Broker.Groups;
using Freshet.Protocol.Messages;
using Record = Freshet.Protocol.Records.Record;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Broker.Tests.Groups;

/// <summary>A clock that moves only when told; timers are not used, the tests call Tick.</summary>
internal sealed class ManualTime : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Keeps appended records in memory, in order, as __consumer_offsets would.</summary>
internal sealed class MemoryGroupStore : IGroupStore
{
    public List<Record> Records { get; } = [];

    public ErrorCode Append(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> entries, long timestamp)
    {
        foreach (var (key, value) in entries)
        {
            Records.Add(new Record(Records.Count, timestamp, key, value is null ? null : (ReadOnlyMemory<byte>?)value));
        }
        return ErrorCode.None;
    }
}

/// <summary>A coordinator over a manual clock and an in-memory store, with short-hand calls.</summary>
internal sealed class GroupTestKit
{
    public const int SessionMs = 10_000;
    public const int RebalanceMs = 30_000;

    public GroupTestKit(TimeSpan? initialDelay = null, int maxSize = int.MaxValue, MemoryGroupStore? store = null)
    {
        Options = new GroupCoordinatorOptions { InitialRebalanceDelay = initialDelay ?? TimeSpan.Zero, MaxSize = maxSize, OffsetsRetention = TimeSpan.FromHours(1), OffsetsRetentionCheckInterval = TimeSpan.FromMinutes(1) };
        Store = store ?? new MemoryGroupStore();
        Coordinator = new GroupCoordinator(Options, Store, Time, NullLogger.Instance);
    }

    public ManualTime Time { get; } = new();

    public MemoryGroupStore Store { get; }

    public GroupCoordinatorOptions Options { get; }

    public GroupCoordinator Coordinator { get; }

    public static MemberProtocol Proto(string name, byte tag = 1) => new(name, new byte[] { tag });

    public Task<JoinGroupResponse> Join(
        string memberId = "",
        string group = "g",
        string? instanceId = null,
        IReadOnlyList<MemberProtocol>? protocols = null,
        int sessionMs = SessionMs,
        int rebalanceMs = RebalanceMs,
        bool requireKnownMemberId = false,
        string protocolType = "consumer") =>
        Coordinator.JoinAsync(new JoinGroupCall(group, memberId, instanceId, "client", "/127.0.0.1", sessionMs, rebalanceMs, protocolType,
            protocols ?? [Proto("range")], requireKnownMemberId, SupportsSkipAssignment: false));

    public Task<SyncGroupResponse> Sync(string memberId, int generation, Dictionary<string, ReadOnlyMemory<byte>>? assignments = null, string group = "g", string? instanceId = null) =>
        Coordinator.SyncAsync(group, generation, memberId, instanceId, null, null, assignments ?? []);

    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        Coordinator.Tick();
    }

    public GroupState State(string group = "g") => Coordinator.TryGetGroup(group, out var g) ? g.State : GroupState.Dead;
}
