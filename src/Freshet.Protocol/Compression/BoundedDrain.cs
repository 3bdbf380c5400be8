using System.Buffers;

namespace Freshet.Protocol.Compression;

/// <summary>
/// Copies a decoder's output into a buffer writer, never accepting more than a cap. It asks the
/// decoder for one byte past the cap, so "exactly at the cap" succeeds and "one over" fails
/// without the decoder ever producing the rest of a bomb.
/// </summary>
internal static class BoundedDrain
{
    private const int ChunkSize = 64 * 1024;

    public static CompressionError Drain(Stream decoder, IBufferWriter<byte> output, int maxBytes)
    {
        long total = 0;
        while (true)
        {
            var room = (int)Math.Min(ChunkSize, maxBytes - total + 1);
            var span = output.GetSpan(room)[..room];
            var read = decoder.Read(span);
            if (read == 0)
            {
                return CompressionError.None;
            }
            total += read;
            if (total > maxBytes)
            {
                return CompressionError.TooLarge;
            }
            output.Advance(read);
        }
    }
}
