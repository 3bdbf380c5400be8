namespace Freshet.Protocol.Primitives;

/// <summary>
/// Unsigned LEB128 varints and their zig-zag signed forms, as used by flexible message
/// versions (unsigned) and by records inside a batch (signed).
/// </summary>
public static class Varint
{
    public const int MaxVarIntBytes = 5;
    public const int MaxVarLongBytes = 10;

    public static int SizeOfUnsigned(uint value)
    {
        var size = 1;
        while ((value & ~0x7Fu) != 0)
        {
            size++;
            value >>= 7;
        }
        return size;
    }

    public static int SizeOfUnsigned(ulong value)
    {
        var size = 1;
        while ((value & ~0x7FUL) != 0)
        {
            size++;
            value >>= 7;
        }
        return size;
    }

    public static int SizeOfSigned(int value) => SizeOfUnsigned(ZigZag(value));

    public static int SizeOfSigned(long value) => SizeOfUnsigned(ZigZag(value));

    public static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static int UnZigZag(uint value) => (int)(value >> 1) ^ -(int)(value & 1);

    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Writes <paramref name="value"/>; returns the bytes written. The span must hold at least 5 bytes or the exact size.</summary>
    public static int WriteUnsigned(Span<byte> destination, uint value)
    {
        var i = 0;
        while ((value & ~0x7Fu) != 0)
        {
            destination[i++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static int WriteUnsigned(Span<byte> destination, ulong value)
    {
        var i = 0;
        while ((value & ~0x7FUL) != 0)
        {
            destination[i++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static int WriteSigned(Span<byte> destination, int value) => WriteUnsigned(destination, ZigZag(value));

    public static int WriteSigned(Span<byte> destination, long value) => WriteUnsigned(destination, ZigZag(value));

    /// <summary>Reads an unsigned 32-bit varint; false when the span ends first or the varint is longer than 5 bytes.</summary>
    public static bool TryReadUnsigned(ReadOnlySpan<byte> source, out uint value, out int bytesRead)
    {
        value = 0;
        for (var i = 0; i < MaxVarIntBytes; i++)
        {
            if (i >= source.Length)
            {
                bytesRead = 0;
                return false;
            }
            var b = source[i];
            if (i == MaxVarIntBytes - 1 && b > 0x0F)
            {
                break;
            }
            value |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                bytesRead = i + 1;
                return true;
            }
        }
        bytesRead = 0;
        value = 0;
        return false;
    }

    public static bool TryReadUnsigned(ReadOnlySpan<byte> source, out ulong value, out int bytesRead)
    {
        value = 0;
        for (var i = 0; i < MaxVarLongBytes; i++)
        {
            if (i >= source.Length)
            {
                bytesRead = 0;
                return false;
            }
            var b = source[i];
            if (i == MaxVarLongBytes - 1 && b > 0x01)
            {
                break;
            }
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                bytesRead = i + 1;
                return true;
            }
        }
        bytesRead = 0;
        value = 0;
        return false;
    }

    public static bool TryReadSigned(ReadOnlySpan<byte> source, out int value, out int bytesRead)
    {
        var ok = TryReadUnsigned(source, out uint raw, out bytesRead);
        value = UnZigZag(raw);
        return ok;
    }

    public static bool TryReadSigned(ReadOnlySpan<byte> source, out long value, out int bytesRead)
    {
        var ok = TryReadUnsigned(source, out ulong raw, out bytesRead);
        value = UnZigZag(raw);
        return ok;
    }
}
