using System.Collections.Concurrent;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Groups;

/// <summary>
/// Kafka's classic group coordinator for the groups whose __consumer_offsets partition this broker leads
/// (see the Leadership part). Membership is in memory, guarded by each group's lock;
/// offsets and group metadata go to the <see cref="IGroupStore"/> before they are acknowledged, and committed
/// offsets count (for OffsetFetch and for the answer) only once every in-sync replica has them.
/// Deadlines are checked by <see cref="Tick"/>, driven by a timer in the broker and by hand in tests.
/// Split by concern: Join, Sync, Heartbeat (with Leave), Offsets, Admin, Expiry, Load, Leadership.
/// </summary>
internal sealed partial class GroupCoordinator : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly GroupCoordinatorOptions _options;
    private readonly IGroupStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private ITimer? _ticker;
    private DateTimeOffset _nextRetentionCheck;
    private readonly Coordination.CoordinatorPartitions _partitions = new();

    public GroupCoordinator(GroupCoordinatorOptions options, IGroupStore store, TimeProvider time, ILogger logger)
    {
        _options = options;
        _store = store;
        _time = time;
        _logger = logger;
        _nextRetentionCheck = time.GetUtcNow() + options.OffsetsRetentionCheckInterval;
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Starts checking deadlines on the coordinator's timer.</summary>
    public void Start() => _ticker = _time.CreateTimer(_ => Tick(), null, _options.TickInterval, _options.TickInterval);

    internal bool TryGetGroup(string groupId, out Group group) => _groups.TryGetValue(groupId, out group!);

    private Group GetOrCreate(string groupId) => _groups.GetOrAdd(groupId, id => new Group(id, Now));

    /// <summary>Removes a group that has reached Dead, unless a new one already took its place.</summary>
    private void Forget(Group group) => _groups.TryRemove(new KeyValuePair<string, Group>(group.GroupId, group));

    /// <summary>Checks every deadline: initial delay, rebalance and sync timeouts, sessions, offset retention.</summary>
    public void Tick()
    {
        var now = Now;
        foreach (var group in _groups.Values)
        {
            if (CoordinatorStatus(group.GroupId) == ErrorCode.NotCoordinator)
            {
                // Made by a request that raced with the resign of its partition: not ours to keep.
                Forget(group);
                continue;
            }
            lock (group)
            {
                ExpireDeadlines(group, now);
            }
        }
        if (now >= _nextRetentionCheck)
        {
            _nextRetentionCheck = now + _options.OffsetsRetentionCheckInterval;
            ExpireOffsets(now);
        }
    }

    /// <summary>Writes the group's records, only while this broker coordinates it (never after its partition is resigned).</summary>
    private InternalWrite Store(Group group, List<(byte[] Key, byte[]? Value)> entries, DateTimeOffset now) =>
        CoordinatorStatus(group.GroupId) is var status and not ErrorCode.None
            ? InternalWrite.Failed(status)
            : _store.Append(group.GroupId, entries, now.ToUnixTimeMilliseconds());

    private InternalWrite StoreGroupMetadata(Group group, DateTimeOffset now) =>
        Store(group, [(GroupRecords.GroupKey(group.GroupId), GroupRecords.GroupValue(group, now.ToUnixTimeMilliseconds()))], now);

    public async ValueTask DisposeAsync()
    {
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
