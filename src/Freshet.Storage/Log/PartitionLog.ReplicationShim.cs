namespace Freshet.Storage;

// Placeholder signatures of the replication storage API until its implementation is merged; removed then.
public sealed partial class PartitionLog
{
    public int LatestEpoch => -1;

    public (int Epoch, long EndOffset) EndOffsetForEpoch(int epoch) => epoch < 0 ? (-1, -1) : (epoch, LogEndOffset);

    public void AssignEpochStartOffset(int epoch, long offset)
    {
    }

    public LogAppendInfo AppendAsFollower(Span<byte> batches) => throw new NotSupportedException();

    public void TruncateTo(long offset) => throw new NotSupportedException();

    public void TruncateFullyAndStartAt(long newStartOffset) => throw new NotSupportedException();
}

public sealed class UnexpectedAppendOffsetException(string message) : Exception(message);
