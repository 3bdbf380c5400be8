using System.Buffers;
using ZstdSharp;

namespace Freshet.Protocol.Compression;

/// <summary>zstd frames, codec 4. Decoding streams rather than trusting the frame's declared content size.</summary>
internal static class ZstdCodec
{
    // Level 3 is zstd's default and the Java client's.
    private const int Level = 3;

    public static void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> output)
    {
        using var compressor = new Compressor(Level);
        var bound = Compressor.GetCompressBound(source.Length);
        var written = compressor.Wrap(source, output.GetSpan(bound));
        output.Advance(written);
    }

    public static CompressionError Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> output, int maxBytes) =>
        SpanStream.Read(source, (output, maxBytes), static (stream, state) =>
        {
            using var decoder = new DecompressionStream(stream, leaveOpen: true);
            return BoundedDrain.Drain(decoder, state.output, state.maxBytes);
        });
}
