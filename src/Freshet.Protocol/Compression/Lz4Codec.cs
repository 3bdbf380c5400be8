using System.Buffers;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;

namespace Freshet.Protocol.Compression;

/// <summary>
/// LZ4 frame format, codec 3. Blocks are written independent (not chained) and 64 KiB, as the
/// Java client's KafkaLZ4BlockOutputStream writes them: its reader decodes each block on its own.
/// </summary>
internal static class Lz4Codec
{
    private static readonly LZ4EncoderSettings Settings = new()
    {
        ChainBlocks = false,
        BlockSize = 64 * 1024,
        ContentChecksum = false,
        BlockChecksum = false,
        CompressionLevel = LZ4Level.L00_FAST,
    };

    public static void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> output) =>
        LZ4Frame.Encode(source, output, Settings);

    public static CompressionError Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> output, int maxBytes) =>
        SpanStream.Read(source, (output, maxBytes), static (stream, state) =>
        {
            using var decoder = LZ4Stream.Decode(stream, leaveOpen: true);
            return BoundedDrain.Drain(decoder, state.output, state.maxBytes);
        });
}
