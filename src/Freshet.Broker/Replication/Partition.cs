using Freshet.Metadata.Image;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;
using Freshet.Storage;
using Freshet.Storage.Producers;

namespace Freshet.Broker.Replication;

/// <summary>
/// One partition hosted here, as leader or follower: its log, leader epoch, replicas and ISR as the metadata image
/// gives them, and two signals: <see cref="NextAppend"/> (replica fetches wait on it) and
/// <see cref="NextHighWatermark"/> (consumer fetches and acks=all produces wait on it). Role and ISR change under
/// one lock, the gate. Leader appends enter under it and write outside it, and a role change waits until the appends
/// that entered have left, as Kafka's leader-ISR update lock is shared by appends and exclusive to role changes:
/// follower fetches are not held up by a leader's write, and no append lands in an epoch this broker no longer leads.
/// </summary>
internal sealed partial class Partition
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly IAlterPartitionChannel? _alterPartition;
    private readonly Dictionary<int, FollowerState> _followers = [];
    private TaskCompletionSource _appended = NewSignal();
    private TaskCompletionSource _highWatermarkMoved = NewSignal();
    private int[] _replicas;
    private int _leaderAppends;
    private int _roleChangesWaiting;
    private int[] _isr;
    private bool _isLeader;

    public Partition(TopicPartition id, KafkaUuid topicId, PartitionLog log, int localBrokerId, IAlterPartitionChannel? alterPartition = null, TimeProvider? time = null)
    {
        Id = id;
        TopicId = topicId;
        Log = log;
        LocalBrokerId = localBrokerId;
        _alterPartition = alterPartition;
        _time = time ?? TimeProvider.System;
        _replicas = [localBrokerId];
        _isr = [localBrokerId];
    }

    public TopicPartition Id { get; }

    public KafkaUuid TopicId { get; }

    public PartitionLog Log { get; }

    public int LocalBrokerId { get; }

    public bool IsLeader => Volatile.Read(ref _isLeader);

    /// <summary>The leader's broker id, -1 when there is none.</summary>
    public int LeaderId { get; private set; } = -1;

    public int LeaderEpoch { get; private set; } = -1;

    public int PartitionEpoch { get; private set; } = -1;

    /// <summary>The offset this leader's epoch starts at: a follower rejoins the ISR only once it has reached it.</summary>
    public long LeaderEpochStartOffset { get; private set; }

    public IReadOnlyList<int> Replicas => Volatile.Read(ref _replicas);

    /// <summary>The ISR the controller committed.</summary>
    public IReadOnlyList<int> Isr => Volatile.Read(ref _isr);

    public int InSyncReplicaCount => Volatile.Read(ref _isr).Length;

    /// <summary>min.insync.replicas of the topic: acks=all fails with NOT_ENOUGH_REPLICAS below it.</summary>
    public int MinInSyncReplicas { get; set; } = 1;

    /// <summary>Completes at the next append. Take it before reading, so an append between the read and the wait is not missed.</summary>
    public Task NextAppend => Volatile.Read(ref _appended).Task;

    /// <summary>Completes when the high watermark next moves, or the partition's role changes.</summary>
    public Task NextHighWatermark => Volatile.Read(ref _highWatermarkMoved).Task;

    /// <summary>min(first offset of any open transaction, high watermark): read_committed consumers read below it.</summary>
    public long LastStableOffset => Math.Min(Log.FirstUnstableOffset, Log.HighWatermark);

    /// <summary>
    /// The single-node role: sole replica and leader at epoch 0, high watermark at the log end (also when the
    /// replication-offset checkpoint is older than the log after a crash, as Kafka's leader election sets it).
    /// </summary>
    public void MakeSoleLeader()
    {
        lock (_gate)
        {
            BeginRoleChange();
            try
            {
                if (LeaderEpoch >= 0)
                {
                    return;
                }
                ApplyLeader(new PartitionImage(Id.Partition, [LocalBrokerId], [LocalBrokerId], [], [], LocalBrokerId, 0, 0));
            }
            finally
            {
                EndRoleChange();
            }
        }
    }

    /// <summary>Applies a state from the metadata image; see <see cref="RoleChange"/> for what the caller must do next.</summary>
    public RoleChange ApplyState(PartitionImage state)
    {
        RoleChange change;
        lock (_gate)
        {
            BeginRoleChange();
            try
            {
                if (state.LeaderEpoch < LeaderEpoch || (state.LeaderEpoch == LeaderEpoch && state.PartitionEpoch < PartitionEpoch))
                {
                    return RoleChange.Stale;
                }
                var wasLeader = _isLeader;
                var previousEpoch = LeaderEpoch;
                if (state.Leader == LocalBrokerId)
                {
                    ApplyLeader(state);
                    change = !wasLeader || previousEpoch != state.LeaderEpoch ? RoleChange.BecameLeader : RoleChange.Unchanged;
                }
                else
                {
                    var leaderMoved = LeaderId != state.Leader || previousEpoch != state.LeaderEpoch;
                    ApplyFollower(state);
                    change = wasLeader ? RoleChange.Resigned : leaderMoved ? RoleChange.FollowsNewLeader : RoleChange.Unchanged;
                }
            }
            finally
            {
                EndRoleChange();
            }
        }
        // Waiters re-check: an acks=all produce learns it lost leadership, a fetch sees the new high watermark.
        SignalAppend();
        SignalHighWatermark();
        return change;
    }

    /// <summary>Stops leading or following: waiters wake and find the partition gone.</summary>
    public void Close()
    {
        lock (_gate)
        {
            BeginRoleChange();
            _isLeader = false;
            LeaderId = -1;
            _followers.Clear();
            EndRoleChange();
        }
        SignalAppend();
        SignalHighWatermark();
    }

    /// <summary>
    /// FENCED_LEADER_EPOCH when the client's leader epoch is older than this broker's, UNKNOWN_LEADER_EPOCH when it
    /// is newer (this broker has not seen that leadership yet), NOT_LEADER_OR_FOLLOWER when the leader is asked for
    /// and this broker is not it. -1 skips the epoch check, as clients that do not know the epoch send.
    /// </summary>
    public ErrorCode CheckLeaderEpoch(int currentLeaderEpoch, bool requireLeader)
    {
        var epoch = LeaderEpoch;
        if (currentLeaderEpoch >= 0 && currentLeaderEpoch < epoch)
        {
            return ErrorCode.FencedLeaderEpoch;
        }
        if (currentLeaderEpoch > epoch)
        {
            return ErrorCode.UnknownLeaderEpoch;
        }
        return requireLeader && !IsLeader ? ErrorCode.NotLeaderOrFollower : ErrorCode.None;
    }

    /// <summary>
    /// Checks producer state (epoch, sequence, retries) for idempotent and transactional batches, appends in this
    /// leader's epoch, and moves the high watermark as far as the ISR allows. A retry of one of the producer's last
    /// five batches is not appended; the result carries the original offsets.
    /// </summary>
    /// <exception cref="NotLeaderOrFollowerException">This broker does not lead the partition.</exception>
    /// <exception cref="ProducerStateException">The producer state refuses the batch (OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH, ...).</exception>
    public LogAppendInfo AppendAsLeader(Span<byte> batches, AppendOrigin origin = AppendOrigin.Client)
    {
        LogAppendInfo info = default;
        var appended = false;
        var highWatermarkMoved = false;
        var epoch = EnterLeaderAppend();
        try
        {
            info = Log.Append(batches, epoch, origin);
            appended = !info.IsDuplicate;
        }
        finally
        {
            lock (_gate)
            {
                LeaveLeaderAppend();
                if (appended)
                {
                    highWatermarkMoved = TryAdvanceHighWatermark();
                }
            }
        }
        if (info.IsDuplicate)
        {
            return info;
        }
        SignalAppend();
        if (highWatermarkMoved)
        {
            SignalHighWatermark();
        }
        return info;
    }

    /// <summary>
    /// Appends a COMMIT or ABORT marker for the producer: its open transaction here ends, an abort is indexed in the
    /// segment's <c>.txnindex</c>, and the last stable offset moves. INVALID_PRODUCER_EPOCH when the epoch is older
    /// than the producer's, TRANSACTION_COORDINATOR_FENCED for an older coordinator epoch, KAFKA_STORAGE_ERROR on I/O
    /// failure, NOT_LEADER_OR_FOLLOWER when this broker does not lead the partition.
    /// </summary>
    public ErrorCode WriteTxnMarker(long producerId, short producerEpoch, int coordinatorEpoch, bool commit)
    {
        var batch = new EndTxnMarker(commit, coordinatorEpoch).BuildBatch(producerId, producerEpoch, _time.GetUtcNow().ToUnixTimeMilliseconds());
        try
        {
            AppendAsLeader(batch, AppendOrigin.Coordinator);
            return ErrorCode.None;
        }
        catch (NotLeaderOrFollowerException)
        {
            return ErrorCode.NotLeaderOrFollower;
        }
        catch (InvalidProducerEpochException)
        {
            return ErrorCode.InvalidProducerEpoch;
        }
        catch (TransactionCoordinatorFencedException)
        {
            return ErrorCode.TransactionCoordinatorFenced;
        }
        catch (IOException)
        {
            return ErrorCode.KafkaStorageError;
        }
        catch (ObjectDisposedException)
        {
            // The topic was deleted under the marker.
            return ErrorCode.UnknownTopicOrPartition;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void SignalAppend() => Interlocked.Exchange(ref _appended, NewSignal()).TrySetResult();

    private void SignalHighWatermark() => Interlocked.Exchange(ref _highWatermarkMoved, NewSignal()).TrySetResult();
}
