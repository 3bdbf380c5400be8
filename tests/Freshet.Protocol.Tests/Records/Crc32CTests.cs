using System.Text;
using Freshet.Protocol.Records;

namespace Freshet.Protocol.Tests.Records;

public sealed class Crc32CTests
{
    /// <summary>The definition, one bit at a time: reflected polynomial 0x82F63B78, initial and final value all ones.</summary>
    private static uint Bitwise(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }
        return ~crc;
    }

    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    [InlineData("abc", 0x364B3FB7u)]
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x22620404u)]
    public void Matches_published_check_values(string text, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(expected, Bitwise(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Matches_the_iSCSI_test_patterns()
    {
        // RFC 3720 appendix B.4: 32 bytes of zeros, of ones, ascending and descending.
        var zeros = new byte[32];
        var ones = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        var ascending = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var descending = Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray();
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(zeros));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(ones));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(ascending));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(descending));
    }

    [Fact]
    public void Every_length_up_to_past_the_vectorised_threshold_at_every_alignment_matches_the_bitwise_definition()
    {
        var random = new Random(7);
        var buffer = new byte[(2 * Crc32C.VectorisedThreshold) + 80];
        random.NextBytes(buffer);
        for (var length = 0; length <= (2 * Crc32C.VectorisedThreshold) + 64; length++)
        {
            for (var offset = 0; offset < 16; offset++)
            {
                var data = buffer.AsSpan(offset, length);
                Assert.Equal(Bitwise(data), Crc32C.Compute(data));
            }
        }
    }

    [Fact]
    public void Random_large_lengths_and_offsets_match_the_bitwise_definition()
    {
        var random = new Random(11);
        var buffer = new byte[(1 << 20) + 64];
        random.NextBytes(buffer);
        for (var i = 0; i < 200; i++)
        {
            var length = i < 100 ? random.Next(0, 70_000) : random.Next(0, 1 << 20);
            var offset = random.Next(0, 64);
            var data = buffer.AsSpan(offset, length);
            Assert.Equal(Bitwise(data), Crc32C.Compute(data));
        }
    }

    [Fact]
    public void Single_lane_and_vectorised_paths_agree_on_every_size_class()
    {
        var random = new Random(13);
        foreach (var length in new[] { 1, 7, 8, 9, 63, 511, 512, 513, 4096, 16 * 1024, (1 << 20) + 3 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(~Crc32C.UpdateSingleLane(uint.MaxValue, data), Crc32C.Compute(data));
        }
    }

    [Fact]
    public void Append_continues_a_crc_at_any_split()
    {
        var random = new Random(17);
        var data = new byte[3000];
        random.NextBytes(data);
        var whole = Crc32C.Compute(data);
        foreach (var split in new[] { 0, 1, 5, 511, 512, 1500, 2999, 3000 })
        {
            Assert.Equal(whole, Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }

    [Fact]
    public void A_flipped_bit_anywhere_changes_the_crc()
    {
        var data = new byte[4096];
        new Random(19).NextBytes(data);
        var original = Crc32C.Compute(data);
        for (var bit = 0; bit < data.Length * 8; bit += 97)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(original, Crc32C.Compute(data));
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }
}
