using System.Buffers.Binary;
using System.IO.Hashing;
using Freshet.Protocol.Compression;
using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;
using Snappier;

namespace Freshet.Protocol.Tests.Compression;

public class CompressionCodecsTests
{
    public static TheoryData<CompressionType, int> CodecsAndSizes()
    {
        var data = new TheoryData<CompressionType, int>();
        foreach (var codec in new[] { CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd })
        {
            foreach (var size in new[] { 0, 1, 1000, 32 * 1024, 200_000 })
            {
                data.Add(codec, size);
            }
        }
        return data;
    }

    private static byte[] Payload(int size)
    {
        var bytes = new byte[size];
        var random = new Random(size);
        for (var i = 0; i < size; i++)
        {
            // Half repetitive, half random: compressible but not trivially.
            bytes[i] = i % 2 == 0 ? (byte)(i / 64) : (byte)random.Next(256);
        }
        return bytes;
    }

    private static byte[] Decompress(CompressionType codec, ReadOnlySpan<byte> source, int max = 10_000_000)
    {
        using var output = new PooledBufferWriter();
        Assert.Equal(CompressionError.None, CompressionCodecs.Decompress(codec, source, output, max));
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Compress(CompressionType codec, ReadOnlySpan<byte> source)
    {
        using var output = new PooledBufferWriter();
        CompressionCodecs.Compress(codec, source, output);
        return output.WrittenSpan.ToArray();
    }

    [Theory]
    [MemberData(nameof(CodecsAndSizes))]
    public void Every_codec_round_trips(CompressionType codec, int size)
    {
        var payload = Payload(size);
        Assert.Equal(payload, Decompress(codec, Compress(codec, payload)));
    }

    [Fact]
    public void Snappy_compresses_with_xerial_framing_in_32_KiB_blocks()
    {
        var payload = Payload(100_000);
        var framed = Compress(CompressionType.Snappy, payload);
        Assert.True(XerialSnappy.IsFramed(framed));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(framed.AsSpan(8)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(framed.AsSpan(12)));
        var blocks = 0;
        for (var p = 16; p < framed.Length; blocks++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(framed.AsSpan(p));
            Assert.True(Snappy.GetUncompressedLength(framed.AsSpan(p + 4, length)) <= 32 * 1024);
            p += 4 + length;
        }
        Assert.Equal(4, blocks);
    }

    [Fact]
    public void Snappy_accepts_hand_built_xerial_framing_and_raw_blocks()
    {
        var first = Payload(5000);
        var second = TestBytes("second block");
        var a = Snappy.CompressToArray(first);
        var b = Snappy.CompressToArray(second);
        var framed = new List<byte>([0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
        foreach (var block in new[] { a, b })
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, block.Length);
            framed.AddRange(length);
            framed.AddRange(block);
        }
        Assert.Equal([.. first, .. second], Decompress(CompressionType.Snappy, framed.ToArray()));
        Assert.Equal(first, Decompress(CompressionType.Snappy, a));
    }

    [Fact]
    public void Lz4_reads_a_hand_built_frame_with_an_uncompressed_block()
    {
        var data = TestBytes("hello, lz4 frame");
        var frame = new List<byte>();
        frame.AddRange(BitConverter.GetBytes(0x184D2204u));      // magic, little-endian
        byte[] descriptor = [0x60, 0x40];                         // FLG: version 01, independent blocks; BD: 64 KiB
        frame.AddRange(descriptor);
        frame.Add((byte)(XxHash32.HashToUInt32(descriptor) >> 8)); // header checksum
        frame.AddRange(BitConverter.GetBytes((uint)data.Length | 0x8000_0000u)); // high bit: stored uncompressed
        frame.AddRange(data);
        frame.AddRange(BitConverter.GetBytes(0u));               // end mark
        Assert.Equal(data, Decompress(CompressionType.Lz4, frame.ToArray()));
    }

    [Fact]
    public void Lz4_writes_independent_blocks()
    {
        var frame = Compress(CompressionType.Lz4, Payload(1000));
        Assert.Equal(0x184D2204u, BinaryPrimitives.ReadUInt32LittleEndian(frame));
        Assert.Equal(0x20, frame[4] & 0x20); // FLG block-independence bit, which the Java client's reader needs
    }

    [Fact]
    public void Zstd_reads_a_hand_built_frame_with_a_raw_block()
    {
        var data = TestBytes("hello, zstd frame");
        var frame = new List<byte>();
        frame.AddRange(BitConverter.GetBytes(0xFD2FB528u)); // magic, little-endian
        frame.Add(0x20);                                    // single segment, 1-byte content size, no checksum
        frame.Add((byte)data.Length);
        var blockHeader = 1u | (0u << 1) | ((uint)data.Length << 3); // last block, raw
        frame.AddRange(BitConverter.GetBytes(blockHeader).AsSpan(0, 3).ToArray());
        frame.AddRange(data);
        Assert.Equal(data, Decompress(CompressionType.Zstd, frame.ToArray()));
    }

    [Fact]
    public void Gzip_reads_concatenated_members()
    {
        var a = Compress(CompressionType.Gzip, TestBytes("one "));
        var b = Compress(CompressionType.Gzip, TestBytes("two"));
        Assert.Equal(TestBytes("one two"), Decompress(CompressionType.Gzip, [.. a, .. b]));
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Corrupt_or_truncated_input_is_a_typed_error(CompressionType codec)
    {
        var compressed = Compress(codec, Payload(10_000));
        using var output = new PooledBufferWriter();
        var garbage = Payload(300);
        Assert.Equal(CompressionError.Corrupt, CompressionCodecs.Decompress(codec, garbage, output, 1_000_000));
        for (var cut = 1; cut < compressed.Length; cut += 97)
        {
            output.Reset();
            var error = CompressionCodecs.Decompress(codec, compressed.AsSpan(0, cut), output, 1_000_000);
            // Some codecs end quietly at a block boundary; what matters is that nothing escapes and nothing claims the whole payload.
            Assert.True(error == CompressionError.Corrupt || output.WrittenCount < 10_000, $"cut {cut}: {error}");
        }
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Decompression_stops_at_the_cap(CompressionType codec)
    {
        var bomb = Compress(codec, new byte[4_000_000]);
        using var output = new PooledBufferWriter();
        Assert.Equal(CompressionError.TooLarge, CompressionCodecs.Decompress(codec, bomb, output, 3_999_999));
        Assert.True(output.WrittenCount <= 3_999_999);
        output.Reset();
        Assert.Equal(CompressionError.None, CompressionCodecs.Decompress(codec, bomb, output, 4_000_000));
        Assert.Equal(4_000_000, output.WrittenCount);
    }

    [Fact]
    public void Unknown_codec_is_reported()
    {
        using var output = new PooledBufferWriter();
        Assert.Equal(CompressionError.UnsupportedCodec, CompressionCodecs.Decompress((CompressionType)6, [1, 2, 3], output, 100));
    }

    private static byte[] TestBytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
