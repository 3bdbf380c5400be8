namespace Freshet.Storage;

/// <summary>A read asked for an offset below the log start offset or above the log end offset.</summary>
public sealed class OffsetOutOfRangeException : Exception
{
    public OffsetOutOfRangeException()
    {
    }

    public OffsetOutOfRangeException(string message)
        : base(message)
    {
    }

    public OffsetOutOfRangeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OffsetOutOfRangeException(TopicPartition tp, long offset, long logStartOffset, long logEndOffset)
        : base($"Offset {offset} is out of range for {tp}: [{logStartOffset}, {logEndOffset}].")
    {
        Offset = offset;
        LogStartOffset = logStartOffset;
        LogEndOffset = logEndOffset;
    }

    public long Offset { get; }

    public long LogStartOffset { get; }

    public long LogEndOffset { get; }
}
