using Freshet.Protocol.Primitives;
using Freshet.Storage;

namespace Freshet.Broker.Replication;

/// <summary>
/// A partition this broker leads: its log, its leader epoch, and a signal that long-polling
/// fetches wait on until the next append. With one replica the high watermark follows the
/// log end offset at once; followers and the ISR join this class with replication.
/// </summary>
internal sealed class Partition(TopicPartition id, KafkaUuid topicId, PartitionLog log)
{
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TopicPartition Id { get; } = id;

    public KafkaUuid TopicId { get; } = topicId;

    public PartitionLog Log { get; } = log;

    public int LeaderEpoch { get; } = 0;

    /// <summary>The in-sync replicas: with one broker, only this one.</summary>
    public int InSyncReplicaCount => 1;

    /// <summary>min.insync.replicas of the topic: acks=all fails with NOT_ENOUGH_REPLICAS below it.</summary>
    public int MinInSyncReplicas { get; set; } = 1;

    /// <summary>Completes at the next append. Take it before reading, so an append between the read and the wait is not missed.</summary>
    public Task NextAppend => Volatile.Read(ref _appended).Task;

    public LogAppendInfo AppendAsLeader(Span<byte> batches)
    {
        var info = Log.Append(batches, LeaderEpoch);
        Log.HighWatermark = Log.LogEndOffset;
        var previous = Interlocked.Exchange(ref _appended, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
        return info;
    }
}
