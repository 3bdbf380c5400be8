using System.Buffers;
using System.Buffers.Binary;

namespace Freshet.Protocol.Framing;

public enum FrameStatus
{
    /// <summary>Not enough bytes yet; read more. A normal outcome, not an error.</summary>
    Incomplete,
    Complete,
    /// <summary>The size prefix exceeds the limit; the connection must be closed without buffering the body.</summary>
    TooLarge,
    /// <summary>The size prefix is negative or too small to hold a request header.</summary>
    Invalid,
}

/// <summary>
/// Splits a byte stream into Kafka frames. Layout: size int32 (big-endian, the bytes that
/// follow), then that many bytes. The size is checked against the limit as soon as its
/// four bytes arrive, before any of the body is buffered.
/// </summary>
public static class FrameDecoder
{
    public const int SizePrefixLength = 4;

    /// <summary>api key, api version, correlation id and a client id length: the least a request can be.</summary>
    public const int MinimumRequestSize = 2 + 2 + 4 + 2;

    public static FrameStatus TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxFrameSize, out ReadOnlySequence<byte> frame, out int declaredSize)
    {
        frame = default;
        declaredSize = 0;
        if (buffer.Length < SizePrefixLength)
        {
            return FrameStatus.Incomplete;
        }
        Span<byte> prefix = stackalloc byte[SizePrefixLength];
        buffer.Slice(0, SizePrefixLength).CopyTo(prefix);
        declaredSize = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (declaredSize < MinimumRequestSize)
        {
            return FrameStatus.Invalid;
        }
        if (declaredSize > maxFrameSize)
        {
            return FrameStatus.TooLarge;
        }
        if (buffer.Length - SizePrefixLength < declaredSize)
        {
            return FrameStatus.Incomplete;
        }
        frame = buffer.Slice(SizePrefixLength, declaredSize);
        buffer = buffer.Slice(frame.End);
        return FrameStatus.Complete;
    }
}
