using Freshet.Protocol.Records;
using Freshet.Storage.Epochs;

namespace Freshet.Storage;

public sealed partial class PartitionLog
{
    private readonly LeaderEpochCache _epochs;

    /// <summary>The leader epochs of this log and where each starts (<c>leader-epoch-checkpoint</c>).</summary>
    public LeaderEpochCache LeaderEpochs => _epochs;

    /// <summary>The newest leader epoch in the log's epoch cache; -1 when it has none.</summary>
    public int LatestEpoch => _epochs.LatestEpoch;

    /// <summary>
    /// OffsetsForLeaderEpoch: the largest epoch at or below <paramref name="epoch"/> and the offset where its data ends
    /// in this log (the log end offset for the latest epoch); (-1, -1) when the cache cannot answer. See
    /// <see cref="LeaderEpochCache.EndOffsetFor"/>.
    /// </summary>
    public (int Epoch, long EndOffset) EndOffsetForEpoch(int epoch) => _epochs.EndOffsetFor(epoch, LogEndOffset);

    /// <summary>
    /// The broker became leader in <paramref name="epoch"/>: records that the epoch starts at <paramref name="offset"/>
    /// (the log end offset), before any batch of it is written, so followers asking for the previous epoch's end get it.
    /// </summary>
    /// <exception cref="KafkaStorageException">The log dir is offline, or goes offline writing the checkpoint.</exception>
    public void AssignEpochStartOffset(int epoch, long offset)
    {
        lock (_appendLock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            Guard("epoch checkpoint", () => _epochs.Assign(epoch, offset));
        }
    }

    /// <summary>Takes the leader epoch of each appended batch into the cache (the caller holds the append lock).</summary>
    private void AssignBatchEpochs(ReadOnlySpan<byte> batches)
    {
        var position = 0;
        while (position < batches.Length)
        {
            var header = RecordBatchHeader.Read(batches[position..]);
            if (header.PartitionLeaderEpoch >= 0)
            {
                _epochs.Assign(header.PartitionLeaderEpoch, header.BaseOffset);
            }
            position += header.TotalSize;
        }
    }
}
