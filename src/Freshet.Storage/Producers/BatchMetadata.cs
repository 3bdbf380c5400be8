namespace Freshet.Storage.Producers;

/// <summary>One retained batch of a producer: its sequence range and where it landed in the log.</summary>
internal readonly record struct BatchMetadata(int LastSequence, long LastOffset, int OffsetDelta, long Timestamp)
{
    public int FirstSequence => Sequences.Decrement(LastSequence, OffsetDelta);

    public long FirstOffset => LastOffset - OffsetDelta;
}
