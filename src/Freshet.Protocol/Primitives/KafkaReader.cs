using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Freshet.Protocol.Primitives;

/// <summary>
/// Reads Kafka wire primitives from one complete frame. Byte and record fields come back as
/// slices of the frame, not copies, so a Produce request's batches are never copied on decode.
/// Every length and count is checked against what remains before anything is allocated, so a
/// hostile length costs an exception, never memory.
/// </summary>
public struct KafkaReader(ReadOnlyMemory<byte> buffer)
{
    private readonly ReadOnlyMemory<byte> _buffer = buffer;
    private int _position;

    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly bool End => _position >= _buffer.Length;

    private readonly ReadOnlySpan<byte> Rest => _buffer.Span[_position..];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)count > (uint)Remaining)
        {
            ThrowHelper.Truncated(count, Remaining);
        }
        var span = _buffer.Span.Slice(_position, count);
        _position += count;
        return span;
    }

    public void Skip(int count) => Take(count);

    public sbyte ReadInt8() => (sbyte)Take(1)[0];

    public bool ReadBool() => Take(1)[0] != 0;

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));

    public KafkaUuid ReadUuid() => KafkaUuid.Read(Take(KafkaUuid.Size));

    public uint ReadUnsignedVarInt()
    {
        if (!Varint.TryReadUnsigned(Rest, out uint value, out var read))
        {
            ThrowHelper.Malformed("Invalid or truncated unsigned varint.");
        }
        _position += read;
        return value;
    }

    public int ReadVarInt()
    {
        if (!Varint.TryReadSigned(Rest, out int value, out var read))
        {
            ThrowHelper.Malformed("Invalid or truncated varint.");
        }
        _position += read;
        return value;
    }

    public long ReadVarLong()
    {
        if (!Varint.TryReadSigned(Rest, out long value, out var read))
        {
            ThrowHelper.Malformed("Invalid or truncated varlong.");
        }
        _position += read;
        return value;
    }

    /// <summary>A compact length (stored as length + 1, 0 meaning null); -1 for null.</summary>
    public int ReadCompactLength()
    {
        var raw = ReadUnsignedVarInt();
        if (raw > int.MaxValue)
        {
            ThrowHelper.Malformed($"Compact length {raw} is out of range.");
        }
        return (int)raw - 1;
    }

    public string ReadString() =>
        ReadNullableString() ?? throw new MalformedMessageException("Non-nullable string was null.");

    public string? ReadNullableString() => DecodeString(ReadInt16());

    public string ReadCompactString() =>
        ReadCompactNullableString() ?? throw new MalformedMessageException("Non-nullable compact string was null.");

    public string? ReadCompactNullableString() => DecodeString(ReadCompactLength());

    private string? DecodeString(int length)
    {
        if (length < 0)
        {
            if (length != -1)
            {
                ThrowHelper.Malformed($"String length {length} is negative.");
            }
            return null;
        }
        return length == 0 ? string.Empty : Encoding.UTF8.GetString(Take(length));
    }

    public ReadOnlyMemory<byte> ReadBytes() =>
        ReadNullableBytes() ?? throw new MalformedMessageException("Non-nullable bytes were null.");

    public ReadOnlyMemory<byte>? ReadNullableBytes() => SliceBytes(ReadInt32());

    public ReadOnlyMemory<byte> ReadCompactBytes() =>
        ReadCompactNullableBytes() ?? throw new MalformedMessageException("Non-nullable compact bytes were null.");

    public ReadOnlyMemory<byte>? ReadCompactNullableBytes() => SliceBytes(ReadCompactLength());

    private ReadOnlyMemory<byte>? SliceBytes(int length)
    {
        if (length < 0)
        {
            if (length != -1)
            {
                ThrowHelper.Malformed($"Byte length {length} is negative.");
            }
            return null;
        }
        if (length > Remaining)
        {
            ThrowHelper.Truncated(length, Remaining);
        }
        var slice = _buffer.Slice(_position, length);
        _position += length;
        return slice;
    }

    /// <summary>
    /// An array count (int32, -1 for null) checked against the bytes left: each element takes
    /// at least <paramref name="minElementSize"/> bytes, so a huge count fails before allocating.
    /// </summary>
    public int ReadArrayLength(int minElementSize = 1) => CheckCount(ReadInt32(), minElementSize);

    public int ReadCompactArrayLength(int minElementSize = 1) => CheckCount(ReadCompactLength(), minElementSize);

    private readonly int CheckCount(int count, int minElementSize)
    {
        if (count < -1)
        {
            ThrowHelper.Malformed($"Array length {count} is negative.");
        }
        if (count > 0 && (long)count * Math.Max(1, minElementSize) > Remaining)
        {
            ThrowHelper.Malformed($"Array length {count} cannot fit in the {Remaining} byte(s) that remain.");
        }
        return count;
    }

    /// <summary>A raw slice of the next <paramref name="length"/> bytes.</summary>
    public ReadOnlyMemory<byte> ReadRaw(int length)
    {
        if ((uint)length > (uint)Remaining)
        {
            ThrowHelper.Truncated(length, Remaining);
        }
        var slice = _buffer.Slice(_position, length);
        _position += length;
        return slice;
    }

    /// <summary>Skips a tagged-field section entirely (used where no tags are known).</summary>
    public void SkipTaggedFields()
    {
        var count = ReadUnsignedVarInt();
        for (var i = 0u; i < count; i++)
        {
            ReadUnsignedVarInt();
            var size = ReadUnsignedVarInt();
            if (size > int.MaxValue)
            {
                ThrowHelper.Malformed($"Tagged field size {size} is out of range.");
            }
            Skip((int)size);
        }
    }
}
