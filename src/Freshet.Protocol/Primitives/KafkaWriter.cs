using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Freshet.Protocol.Primitives;

/// <summary>
/// Writes Kafka wire primitives into an <see cref="IBufferWriter{T}"/> (a pooled buffer or a
/// pipe), asking it for exactly the bytes each primitive needs.
/// </summary>
public readonly struct KafkaWriter(IBufferWriter<byte> output)
{
    public IBufferWriter<byte> Output { get; } = output;

    private Span<byte> Reserve(int size) => Output.GetSpan(size);

    public void WriteInt8(sbyte value)
    {
        Reserve(1)[0] = (byte)value;
        Output.Advance(1);
    }

    public void WriteBool(bool value)
    {
        Reserve(1)[0] = value ? (byte)1 : (byte)0;
        Output.Advance(1);
    }

    public void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), value);
        Output.Advance(2);
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);
        Output.Advance(2);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);
        Output.Advance(4);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);
        Output.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);
        Output.Advance(8);
    }

    public void WriteFloat64(double value)
    {
        BinaryPrimitives.WriteDoubleBigEndian(Reserve(8), value);
        Output.Advance(8);
    }

    public void WriteUuid(KafkaUuid value)
    {
        value.Write(Reserve(KafkaUuid.Size));
        Output.Advance(KafkaUuid.Size);
    }

    public void WriteUnsignedVarInt(uint value) => Output.Advance(Varint.WriteUnsigned(Reserve(Varint.MaxVarIntBytes), value));

    public void WriteVarInt(int value) => Output.Advance(Varint.WriteSigned(Reserve(Varint.MaxVarIntBytes), value));

    public void WriteVarLong(long value) => Output.Advance(Varint.WriteSigned(Reserve(Varint.MaxVarLongBytes), value));

    /// <summary>A compact length: length + 1, with -1 (null) written as 0.</summary>
    public void WriteCompactLength(int length) => WriteUnsignedVarInt((uint)(length + 1));

    public void WriteString(string value) => WriteNullableString(value);

    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteInt16(-1);
            return;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > short.MaxValue)
        {
            throw new ArgumentException($"String of {length} bytes is longer than a non-compact string allows.", nameof(value));
        }
        WriteInt16((short)length);
        WriteUtf8(value, length);
    }

    public void WriteCompactString(string value) => WriteCompactNullableString(value);

    public void WriteCompactNullableString(string? value)
    {
        if (value is null)
        {
            WriteCompactLength(-1);
            return;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        WriteCompactLength(length);
        WriteUtf8(value, length);
    }

    private void WriteUtf8(string value, int length)
    {
        if (length == 0)
        {
            return;
        }
        Encoding.UTF8.GetBytes(value, Reserve(length));
        Output.Advance(length);
    }

    public void WriteBytes(ReadOnlyMemory<byte> value) => WriteNullableBytes(value);

    public void WriteNullableBytes(ReadOnlyMemory<byte>? value)
    {
        if (value is not { } bytes)
        {
            WriteInt32(-1);
            return;
        }
        WriteInt32(bytes.Length);
        WriteBytesBody(bytes);
    }

    public void WriteCompactBytes(ReadOnlyMemory<byte> value) => WriteCompactNullableBytes(value);

    public void WriteCompactNullableBytes(ReadOnlyMemory<byte>? value)
    {
        if (value is not { } bytes)
        {
            WriteCompactLength(-1);
            return;
        }
        WriteCompactLength(bytes.Length);
        WriteBytesBody(bytes);
    }

    /// <summary>
    /// The body of a bytes field: <see cref="DeferredBytes"/> go to an output that can splice them in by reference
    /// (record data sent from the segment file), everything else is copied.
    /// </summary>
    private void WriteBytesBody(ReadOnlyMemory<byte> bytes)
    {
        if (Output is ISpliceOutput splicer
            && MemoryMarshal.TryGetMemoryManager(bytes, out DeferredBytes? deferred, out var start, out var length)
            && splicer.TrySplice(deferred, start, length))
        {
            return;
        }
        WriteRaw(bytes.Span);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }
        bytes.CopyTo(Reserve(bytes.Length));
        Output.Advance(bytes.Length);
    }

    public void WriteArrayLength(int count) => WriteInt32(count);

    public void WriteCompactArrayLength(int count) => WriteCompactLength(count);

    /// <summary>An empty tagged-field section.</summary>
    public void WriteEmptyTaggedFields() => WriteUnsignedVarInt(0);
}
