namespace Freshet.Storage;

/// <summary>Whole batches from one segment, and the log's offsets at the time of the read.</summary>
public sealed class LogReadResult
{
    public FileRegion Records { get; init; }

    public long LogEndOffset { get; init; }

    public long HighWatermark { get; init; }

    public long LogStartOffset { get; init; }
}
