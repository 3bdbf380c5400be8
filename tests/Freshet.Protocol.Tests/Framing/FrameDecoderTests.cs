using System.Buffers;
using System.Buffers.Binary;
using Freshet.Protocol.Framing;

namespace Freshet.Protocol.Tests.Framing;

public sealed class FrameDecoderTests
{
    private const int Limit = 1024;

    private static byte[] Frame(int declaredSize, int bodyBytes)
    {
        var bytes = new byte[4 + bodyBytes];
        BinaryPrimitives.WriteInt32BigEndian(bytes, declaredSize);
        for (var i = 4; i < bytes.Length; i++)
        {
            bytes[i] = (byte)i;
        }
        return bytes;
    }

    [Fact]
    public void A_complete_frame_is_sliced_off_and_the_rest_kept()
    {
        var bytes = Frame(20, 20).Concat(Frame(30, 5)).ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(FrameStatus.Complete, FrameDecoder.TryReadFrame(ref buffer, Limit, out var frame, out var size));
        Assert.Equal(20, size);
        Assert.Equal(bytes.AsSpan(4, 20).ToArray(), frame.ToArray());
        Assert.Equal(9, buffer.Length);

        Assert.Equal(FrameStatus.Incomplete, FrameDecoder.TryReadFrame(ref buffer, Limit, out _, out _));
        Assert.Equal(9, buffer.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Fewer_than_four_bytes_are_incomplete(int length)
    {
        var buffer = new ReadOnlySequence<byte>(new byte[length]);
        Assert.Equal(FrameStatus.Incomplete, FrameDecoder.TryReadFrame(ref buffer, Limit, out _, out _));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(0)]
    [InlineData(FrameDecoder.MinimumRequestSize - 1)]
    public void Negative_or_tiny_sizes_are_invalid(int size)
    {
        var buffer = new ReadOnlySequence<byte>(Frame(size, 0));
        Assert.Equal(FrameStatus.Invalid, FrameDecoder.TryReadFrame(ref buffer, Limit, out _, out _));
    }

    [Fact]
    public void An_oversized_frame_is_refused_from_its_prefix_alone()
    {
        var buffer = new ReadOnlySequence<byte>(Frame(Limit + 1, 0));
        Assert.Equal(FrameStatus.TooLarge, FrameDecoder.TryReadFrame(ref buffer, Limit, out _, out var size));
        Assert.Equal(Limit + 1, size);
    }

    [Fact]
    public void A_frame_split_across_segments_is_read_whole()
    {
        var bytes = Frame(40, 40);
        var first = new Segment(bytes.AsMemory(0, 3));
        var last = first.Append(bytes.AsMemory(3, 20)).Append(bytes.AsMemory(23));
        var buffer = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);

        Assert.Equal(FrameStatus.Complete, FrameDecoder.TryReadFrame(ref buffer, Limit, out var frame, out _));
        Assert.Equal(bytes.AsSpan(4).ToArray(), frame.ToArray());
        Assert.True(buffer.IsEmpty);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
