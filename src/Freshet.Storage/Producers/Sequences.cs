namespace Freshet.Storage.Producers;

/// <summary>Producer sequence arithmetic: sequences are non-negative int32 values that wrap from int.MaxValue to 0.</summary>
internal static class Sequences
{
    /// <summary>The sequence of a batch's last record: baseSequence + lastOffsetDelta, wrapping past int.MaxValue.</summary>
    public static int Increment(int sequence, int delta) =>
        sequence > int.MaxValue - delta ? delta - (int.MaxValue - sequence) - 1 : sequence + delta;

    /// <summary>The inverse of <see cref="Increment"/>: a batch's first sequence from its last.</summary>
    public static int Decrement(int sequence, int delta) =>
        sequence - delta < 0 ? int.MaxValue - (delta - sequence) + 1 : sequence - delta;

    /// <summary><paramref name="next"/> directly follows <paramref name="last"/> (-1 = nothing yet, so 0 follows).</summary>
    public static bool Follows(int last, int next) => next == last + 1L || (next == 0 && last == int.MaxValue);
}
