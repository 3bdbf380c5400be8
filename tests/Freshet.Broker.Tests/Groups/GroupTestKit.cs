using Freshet.Broker.Groups;
using Freshet.Broker.Tests.Coordination;
using Freshet.Broker.Topics;
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

/// <summary>Keeps appended records in memory, in order, as one __consumer_offsets partition would, with transaction markers.</summary>
internal sealed class MemoryGroupStore : IGroupStore
{
    public List<InternalLogEntry> Entries { get; } = [];

    /// <summary>The data records, without producers or markers.</summary>
    public List<Record> Records => Entries.Where(e => !e.IsMarker).Select(e => e.Record).ToList();

    /// <summary>Writes held back from the "replicas"; by default every write is durable at once.</summary>
    public HeldWrites Replicas { get; } = new();

    public InternalWrite Append(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> entries, long timestamp) =>
        AppendTransactional(groupId, entries, timestamp, -1, -1);

    public InternalWrite AppendTransactional(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> entries, long timestamp, long producerId, short producerEpoch)
    {
        lock (Entries)
        {
            foreach (var (key, value) in entries)
            {
                Entries.Add(new InternalLogEntry(0, new Record(Entries.Count, timestamp, key, value is null ? null : (ReadOnlyMemory<byte>?)value), producerId, producerId >= 0, null));
            }
            return Replicas.Complete(Entries.Count - 1);
        }
    }

    public void AppendMarker(long producerId, bool commit) =>
        Entries.Add(new InternalLogEntry(0, new Record(Entries.Count, 0, null, null), producerId, true, commit ? TxnMarkerType.Commit : TxnMarkerType.Abort));

    public int PartitionFor(string groupId) => 0;

    /// <summary>When set, a load's read waits for it: the test sees the partition while it loads.</summary>
    public ManualResetEventSlim? ReadGate { get; set; }

    public IEnumerable<InternalLogEntry> Read(int partition)
    {
        ReadGate?.Wait(TimeSpan.FromSeconds(30));
        foreach (var entry in Entries.ToList())
        {
            yield return entry;
        }
    }
}

/// <summary>
/// A coordinator over a manual clock and an in-memory store (one __consumer_offsets partition, led from the start
/// and loaded from the store), with short-hand calls.
/// </summary>
internal sealed class GroupTestKit
{
    public const int SessionMs = 10_000;
    public const int RebalanceMs = 30_000;

    public GroupTestKit(TimeSpan? initialDelay = null, int maxSize = int.MaxValue, MemoryGroupStore? store = null, bool lead = true)
    {
        Options = new GroupCoordinatorOptions { InitialRebalanceDelay = initialDelay ?? TimeSpan.Zero, MaxSize = maxSize, OffsetsRetention = TimeSpan.FromHours(1), OffsetsRetentionCheckInterval = TimeSpan.FromMinutes(1) };
        Store = store ?? new MemoryGroupStore();
        Coordinator = new GroupCoordinator(Options, Store, Time, NullLogger.Instance);
        if (lead)
        {
            Coordinator.BecomeLeaderAsync(0, 0).GetAwaiter().GetResult();
        }
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
