namespace Freshet.Storage;

// Placeholder signatures of log truncation until its implementation is merged; removed then.
public sealed partial class PartitionLog
{
    public void TruncateTo(long offset) => throw new NotSupportedException($"Truncation to {offset} is not available yet.");

    public void TruncateFullyAndStartAt(long newStartOffset) => throw new NotSupportedException($"Truncation to {newStartOffset} is not available yet.");
}
