namespace Freshet.Storage.Producers;

/// <summary>
/// What a partition knows of one producer id: its epoch, its last <see cref="RetainedBatches"/> batches (to
/// acknowledge retries with their original offsets), the first offset of its open transaction, the epoch of the
/// coordinator that last ended one of its transactions, and when it last wrote. Changed under the log's append lock.
/// </summary>
internal sealed class ProducerStateEntry(long producerId)
{
    /// <summary>A producer has at most 5 requests in flight per partition, so 5 batches cover every retry.</summary>
    public const int RetainedBatches = 5;

    /// <summary>No epoch yet: a producer seen only through a snapshot of Kafka's, or not at all.</summary>
    public const short NoEpoch = -1;

    public const long NoTransaction = -1;

    private readonly BatchMetadata[] _batches = new BatchMetadata[RetainedBatches];
    private int _first;

    public long ProducerId { get; } = producerId;

    public short Epoch { get; internal set; } = NoEpoch;

    public int CoordinatorEpoch { get; internal set; } = -1;

    public long LastTimestamp { get; internal set; } = -1;

    /// <summary>The offset of the first batch of the open transaction; <see cref="NoTransaction"/> when none is open.</summary>
    public long CurrentTxnFirstOffset { get; internal set; } = NoTransaction;

    public int BatchCount { get; private set; }

    /// <summary>The last sequence written, -1 when no batch is retained.</summary>
    public int LastSequence => BatchCount == 0 ? -1 : Batch(BatchCount - 1).LastSequence;

    /// <summary>The last offset written, -1 when no batch is retained.</summary>
    public long LastOffset => BatchCount == 0 ? -1 : Batch(BatchCount - 1).LastOffset;

    /// <summary>The retained batch <paramref name="index"/>, oldest first.</summary>
    public BatchMetadata Batch(int index) => _batches[(_first + index) % RetainedBatches];

    /// <summary>The retained batch with exactly this epoch and sequence range: a retry of a batch already in the log.</summary>
    public bool TryFindDuplicate(short epoch, int firstSequence, int lastSequence, out BatchMetadata duplicate)
    {
        if (epoch == Epoch)
        {
            for (var i = 0; i < BatchCount; i++)
            {
                var batch = Batch(i);
                if (batch.LastSequence == lastSequence && batch.FirstSequence == firstSequence)
                {
                    duplicate = batch;
                    return true;
                }
            }
        }
        duplicate = default;
        return false;
    }

    /// <summary>Records a batch; a new epoch forgets the batches of the old one.</summary>
    internal void AddBatch(short epoch, BatchMetadata batch)
    {
        SetEpoch(epoch);
        if (BatchCount == RetainedBatches)
        {
            _first = (_first + 1) % RetainedBatches;
            BatchCount--;
        }
        _batches[(_first + BatchCount) % RetainedBatches] = batch;
        BatchCount++;
        LastTimestamp = batch.Timestamp;
    }

    internal void SetEpoch(short epoch)
    {
        if (epoch != Epoch)
        {
            Epoch = epoch;
            _first = 0;
            BatchCount = 0;
        }
    }
}
