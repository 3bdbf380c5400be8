using System.Buffers;
using System.IO.Compression;
using Freshet.Protocol.Records;
using ZstdSharp;

namespace Freshet.Protocol.Compression;

/// <summary>
/// The record batch codecs, selected by attribute bits 0-2. Compression writes what the Java
/// client writes (gzip, xerial-framed snappy, LZ4 frames with independent blocks, zstd frames) so
/// every client can read what the broker produces; decompression accepts what any client sends.
/// </summary>
public static class CompressionCodecs
{
    /// <summary>Compresses <paramref name="source"/> into <paramref name="output"/>.</summary>
    public static void Compress(CompressionType type, ReadOnlySpan<byte> source, IBufferWriter<byte> output)
    {
        switch (type)
        {
            case CompressionType.None:
                source.CopyTo(output.GetSpan(source.Length));
                output.Advance(source.Length);
                break;
            case CompressionType.Gzip:
                GzipCodec.Compress(source, output);
                break;
            case CompressionType.Snappy:
                XerialSnappy.Compress(source, output);
                break;
            case CompressionType.Lz4:
                Lz4Codec.Compress(source, output);
                break;
            case CompressionType.Zstd:
                ZstdCodec.Compress(source, output);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown compression type.");
        }
    }

    /// <summary>
    /// Decompresses <paramref name="source"/> into <paramref name="output"/>, failing with
    /// <see cref="CompressionError.TooLarge"/> as soon as more than <paramref name="maxDecompressedSize"/>
    /// bytes would come out. On any error the output may hold a partial result; discard it.
    /// </summary>
    public static CompressionError Decompress(
        CompressionType type, ReadOnlySpan<byte> source, IBufferWriter<byte> output, int maxDecompressedSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDecompressedSize);
        try
        {
            return type switch
            {
                CompressionType.None => Copy(source, output, maxDecompressedSize),
                CompressionType.Gzip => GzipCodec.Decompress(source, output, maxDecompressedSize),
                CompressionType.Snappy => XerialSnappy.Decompress(source, output, maxDecompressedSize),
                CompressionType.Lz4 => Lz4Codec.Decompress(source, output, maxDecompressedSize),
                CompressionType.Zstd => ZstdCodec.Decompress(source, output, maxDecompressedSize),
                _ => CompressionError.UnsupportedCodec,
            };
        }
        // The codec libraries report malformed input with exceptions of their own choosing; all of
        // them mean the same thing here: the sender's bytes are not a valid payload.
        catch (Exception ex) when (ex is InvalidDataException or IOException or ZstdException or ArgumentException or InvalidOperationException
            or IndexOutOfRangeException or NotSupportedException)
        {
            return CompressionError.Corrupt;
        }
    }

    private static CompressionError Copy(ReadOnlySpan<byte> source, IBufferWriter<byte> output, int max)
    {
        if (source.Length > max)
        {
            return CompressionError.TooLarge;
        }
        source.CopyTo(output.GetSpan(source.Length));
        output.Advance(source.Length);
        return CompressionError.None;
    }
}
