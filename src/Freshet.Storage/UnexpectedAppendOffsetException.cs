namespace Freshet.Storage;

/// <summary>
/// A follower append whose first batch starts below the log end offset: the batches overlap what the log holds,
/// so the follower's fetch position and its log disagree (Kafka's UnexpectedAppendOffsetException). Nothing was written.
/// </summary>
public sealed class UnexpectedAppendOffsetException : Exception
{
    public UnexpectedAppendOffsetException()
    {
    }

    public UnexpectedAppendOffsetException(string message)
        : base(message)
    {
    }

    public UnexpectedAppendOffsetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UnexpectedAppendOffsetException(TopicPartition tp, long firstOffset, long logEndOffset)
        : base($"Follower append to {tp} starts at offset {firstOffset}, below the log end offset {logEndOffset}.")
    {
        FirstOffset = firstOffset;
        LogEndOffset = logEndOffset;
    }

    /// <summary>The base offset of the first batch handed to the append.</summary>
    public long FirstOffset { get; }

    public long LogEndOffset { get; }
}
