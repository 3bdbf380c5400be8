namespace Freshet.Storage.Producers;

internal sealed partial class ProducerStateManager
{
    /// <summary>Takes one snapshot entry; entries of one producer come oldest batch first.</summary>
    internal void Restore(long producerId, short epoch, BatchMetadata batch, int coordinatorEpoch, long currentTxnFirstOffset)
    {
        var entry = GetOrAdd(producerId);
        entry.SetEpoch(epoch);
        if (batch.LastSequence >= 0 && batch.LastOffset >= 0)
        {
            entry.AddBatch(epoch, batch);
        }
        entry.LastTimestamp = batch.Timestamp;
        entry.CoordinatorEpoch = coordinatorEpoch;
        if (currentTxnFirstOffset >= 0 && entry.CurrentTxnFirstOffset != currentTxnFirstOffset)
        {
            entry.CurrentTxnFirstOffset = currentTxnFirstOffset;
            _openTxns[currentTxnFirstOffset] = producerId;
            PublishFirstUnstableOffset();
        }
    }
}
