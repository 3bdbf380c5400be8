using System.Diagnostics.CodeAnalysis;
using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Messages;

/// <summary>
/// Helpers the generated codecs call, choosing compact or classic encodings by flag. Small enough
/// to inline, where the flags are usually constants.
/// </summary>
internal static class MessageIo
{
    public static string ReadString(ref KafkaReader reader, bool compact) =>
        compact ? reader.ReadCompactString() : reader.ReadString();

    public static string? ReadNullableString(ref KafkaReader reader, bool compact) =>
        compact ? reader.ReadCompactNullableString() : reader.ReadNullableString();

    public static ReadOnlyMemory<byte> ReadBytes(ref KafkaReader reader, bool compact) =>
        compact ? reader.ReadCompactBytes() : reader.ReadBytes();

    public static ReadOnlyMemory<byte>? ReadNullableBytes(ref KafkaReader reader, bool compact) =>
        compact ? reader.ReadCompactNullableBytes() : reader.ReadNullableBytes();

    /// <summary>An array count; -1 (null) only where the version allows null.</summary>
    public static int ReadArrayCount(ref KafkaReader reader, bool compact, bool nullable, int minElementSize)
    {
        var count = compact ? reader.ReadCompactArrayLength(minElementSize) : reader.ReadArrayLength(minElementSize);
        if (count < 0 && !nullable)
        {
            ThrowMalformed("Non-nullable array was null.");
        }
        return count;
    }

    /// <summary>A nullable struct's presence byte: negative means null.</summary>
    public static bool ReadStructPresence(ref KafkaReader reader, bool nullable) => !nullable || reader.ReadInt8() >= 0;

    public static int ReadTagSize(ref KafkaReader reader)
    {
        var size = reader.ReadUnsignedVarInt();
        if (size > int.MaxValue)
        {
            ThrowMalformed($"Tagged field size {size} is out of range.");
        }
        return (int)size;
    }

    public static void WriteString(KafkaWriter writer, string? value, bool compact, bool nullable, string field)
    {
        if (value is null && !nullable)
        {
            ThrowNotNullable(field);
        }
        if (compact)
        {
            writer.WriteCompactNullableString(value);
        }
        else
        {
            writer.WriteNullableString(value);
        }
    }

    public static void WriteBytes(KafkaWriter writer, ReadOnlyMemory<byte>? value, bool compact, bool nullable, string field)
    {
        if (value is null && !nullable)
        {
            ThrowNotNullable(field);
        }
        if (compact)
        {
            writer.WriteCompactNullableBytes(value);
        }
        else
        {
            writer.WriteNullableBytes(value);
        }
    }

    public static void WriteArrayCount(KafkaWriter writer, bool compact, int count)
    {
        if (compact)
        {
            writer.WriteCompactArrayLength(count);
        }
        else
        {
            writer.WriteArrayLength(count);
        }
    }

    public static void WriteNullArray(KafkaWriter writer, bool compact, bool nullable, string field)
    {
        if (!nullable)
        {
            ThrowNotNullable(field);
        }
        WriteArrayCount(writer, compact, -1);
    }

    public static void WriteStructPresence(KafkaWriter writer, bool present, bool nullable, string field)
    {
        if (!nullable)
        {
            if (!present)
            {
                ThrowNotNullable(field);
            }
            return;
        }
        writer.WriteInt8(present ? (sbyte)1 : (sbyte)-1);
    }

    public static void WriteTaggedField(KafkaWriter writer, int tag, ReadOnlySpan<byte> body)
    {
        writer.WriteUnsignedVarInt((uint)tag);
        writer.WriteUnsignedVarInt((uint)body.Length);
        writer.WriteRaw(body);
    }

    [DoesNotReturn]
    private static void ThrowMalformed(string message) => throw new MalformedMessageException(message);

    [DoesNotReturn]
    private static void ThrowNotNullable(string field) =>
        throw new InvalidOperationException($"{field} is null but is not nullable in this version.");
}
