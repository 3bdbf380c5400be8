using System.Buffers;
using System.Buffers.Binary;
using Snappier;

namespace Freshet.Protocol.Compression;

/// <summary>
/// Snappy, codec 2, in the two forms clients send: raw snappy (librdkafka, Go clients) and the
/// "xerial" framing of snappy-java (the Java client), told apart by the framing's magic.
/// Compression writes xerial framing, as the Java client does; librdkafka and the Java client
/// both read it. Layout of the framing, big-endian:
/// <code>
///  0 magic 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00
///  8 version int32 (1)
/// 12 compatible version int32 (1)
/// 16 repeated: block length int32, then that many bytes of one raw snappy block
/// </code>
/// </summary>
public static class XerialSnappy
{
    public const int HeaderSize = 16;

    /// <summary>snappy-java's SnappyOutputStream default block size.</summary>
    public const int BlockSize = 32 * 1024;

    private const int Version = 1;
    private const int CompatibleVersion = 1;

    public static ReadOnlySpan<byte> Magic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0x00];

    public static bool IsFramed(ReadOnlySpan<byte> source) => source.Length >= HeaderSize && source.StartsWith(Magic);

    public static void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> output)
    {
        var header = output.GetSpan(HeaderSize);
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], Version);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], CompatibleVersion);
        output.Advance(HeaderSize);
        while (!source.IsEmpty)
        {
            var chunk = source[..Math.Min(BlockSize, source.Length)];
            var span = output.GetSpan(sizeof(int) + Snappy.GetMaxCompressedLength(chunk.Length));
            var written = Snappy.Compress(chunk, span[sizeof(int)..]);
            BinaryPrimitives.WriteInt32BigEndian(span, written);
            output.Advance(sizeof(int) + written);
            source = source[chunk.Length..];
        }
    }

    public static CompressionError Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> output, int maxBytes)
    {
        if (!IsFramed(source))
        {
            return DecompressBlock(source, output, ref maxBytes);
        }
        // The compatible version says which readers may read the stream; version 1 is all there is.
        if (BinaryPrimitives.ReadInt32BigEndian(source[12..]) > CompatibleVersion)
        {
            return CompressionError.Corrupt;
        }
        var rest = source[HeaderSize..];
        while (!rest.IsEmpty)
        {
            if (rest.Length < sizeof(int))
            {
                return CompressionError.Corrupt;
            }
            var length = BinaryPrimitives.ReadInt32BigEndian(rest);
            rest = rest[sizeof(int)..];
            if (length < 0 || length > rest.Length)
            {
                return CompressionError.Corrupt;
            }
            var error = DecompressBlock(rest[..length], output, ref maxBytes);
            if (error != CompressionError.None)
            {
                return error;
            }
            rest = rest[length..];
        }
        return CompressionError.None;
    }

    /// <summary>One raw snappy block; its declared length is checked against what remains of the cap before anything is reserved.</summary>
    private static CompressionError DecompressBlock(ReadOnlySpan<byte> block, IBufferWriter<byte> output, ref int remaining)
    {
        var length = Snappy.GetUncompressedLength(block);
        if (length < 0)
        {
            return CompressionError.Corrupt;
        }
        if (length > remaining)
        {
            return CompressionError.TooLarge;
        }
        if (length == 0)
        {
            return block.Length == 1 ? CompressionError.None : CompressionError.Corrupt;
        }
        var span = output.GetSpan(length)[..length];
        if (!Snappy.TryDecompress(block, span, out var written) || written != length)
        {
            return CompressionError.Corrupt;
        }
        output.Advance(written);
        remaining -= written;
        return CompressionError.None;
    }
}
