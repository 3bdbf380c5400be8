using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;
using Freshet.Storage;
using Freshet.Storage.Producers;

namespace Freshet.Broker.Replication;

/// <summary>
/// A partition this broker leads: its log, its leader epoch, and a signal that long-polling
/// fetches wait on until the next append. With one replica the high watermark follows the
/// log end offset at once; followers and the ISR join this class with replication.
/// </summary>
internal sealed class Partition(TopicPartition id, KafkaUuid topicId, PartitionLog log, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
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

    /// <summary>min(first offset of any open transaction, high watermark): read_committed consumers read below it.</summary>
    public long LastStableOffset => Math.Min(Log.FirstUnstableOffset, Log.HighWatermark);

    /// <summary>
    /// Checks producer state (epoch, sequence, retries) for idempotent and transactional batches, appends, and
    /// moves the high watermark and so the last stable offset. A retry of one of the producer's last five batches
    /// is not appended; the result carries the original offsets.
    /// </summary>
    /// <exception cref="ProducerStateException">The producer state refuses the batch (OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH, ...).</exception>
    public LogAppendInfo AppendAsLeader(Span<byte> batches, AppendOrigin origin = AppendOrigin.Client)
    {
        var info = Log.Append(batches, LeaderEpoch, origin);
        if (!info.IsDuplicate)
        {
            Log.HighWatermark = Log.LogEndOffset;
            SignalAppend();
        }
        return info;
    }

    /// <summary>
    /// Appends a COMMIT or ABORT marker for the producer: its open transaction here ends, an abort is indexed in the
    /// segment's <c>.txnindex</c>, and the last stable offset moves. INVALID_PRODUCER_EPOCH when the epoch is older
    /// than the producer's, TRANSACTION_COORDINATOR_FENCED for an older coordinator epoch, KAFKA_STORAGE_ERROR on I/O failure.
    /// </summary>
    public ErrorCode WriteTxnMarker(long producerId, short producerEpoch, int coordinatorEpoch, bool commit)
    {
        var batch = new EndTxnMarker(commit, coordinatorEpoch).BuildBatch(producerId, producerEpoch, _time.GetUtcNow().ToUnixTimeMilliseconds());
        try
        {
            AppendAsLeader(batch, AppendOrigin.Coordinator);
            return ErrorCode.None;
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

    private void SignalAppend()
    {
        var previous = Interlocked.Exchange(ref _appended, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}
