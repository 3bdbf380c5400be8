namespace Freshet.Protocol.Compression;

/// <summary>
/// Runs a stream-based decoder over a span without copying it: the span is pinned for the
/// duration of <paramref name="body"/> and exposed as a read-only <see cref="UnmanagedMemoryStream"/>.
/// </summary>
internal static class SpanStream
{
    public static unsafe TResult Read<TState, TResult>(
        ReadOnlySpan<byte> source, TState state, Func<Stream, TState, TResult> body)
    {
        if (source.IsEmpty)
        {
            // An empty span pins to a null pointer, which UnmanagedMemoryStream rejects.
            return body(Stream.Null, state);
        }
        fixed (byte* pointer = source)
        {
            using var stream = new UnmanagedMemoryStream(pointer, source.Length);
            return body(stream, state);
        }
    }
}
