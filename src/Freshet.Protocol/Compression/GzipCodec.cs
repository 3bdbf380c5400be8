using System.Buffers;
using System.IO.Compression;

namespace Freshet.Protocol.Compression;

/// <summary>gzip (RFC 1952), codec 1. Decoding accepts concatenated members as Java's GZIPInputStream does.</summary>
internal static class GzipCodec
{
    /// <summary>
    /// A complete gzip member holding nothing: GZipStream writes no bytes at all for empty input,
    /// which Java's GZIPInputStream rejects as a truncated stream.
    /// </summary>
    private static ReadOnlySpan<byte> EmptyMember =>
        [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    public static void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> output)
    {
        if (source.IsEmpty)
        {
            output.Write(EmptyMember);
            return;
        }
        using var sink = new BufferWriterStream(output);
        using (var gzip = new GZipStream(sink, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(source);
        }
    }

    public static CompressionError Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> output, int maxBytes) =>
        SpanStream.Read(source, (output, maxBytes), static (stream, state) =>
        {
            using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            return BoundedDrain.Drain(gzip, state.output, state.maxBytes);
        });
}
