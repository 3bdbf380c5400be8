using System.Buffers.Binary;

namespace Freshet.Protocol.Primitives;

/// <summary>
/// Kafka's 128-bit UUID (topic ids, directory ids): two big-endian int64 halves on the wire,
/// shown as URL-safe base64 without padding, as Kafka's tools show them.
/// </summary>
public readonly record struct KafkaUuid(long MostSignificantBits, long LeastSignificantBits)
{
    public const int Size = 16;

    public static readonly KafkaUuid Zero;

    public bool IsZero => MostSignificantBits == 0 && LeastSignificantBits == 0;

    public static KafkaUuid NewRandom()
    {
        Span<byte> bytes = stackalloc byte[Size];
        do
        {
            Random.Shared.NextBytes(bytes);
        }
        // Kafka reserves the zero id and ids whose base64 form starts with '-' for sentinels.
        while (bytes[0] >= 0xF8 || IsAllZero(bytes));
        return Read(bytes);
    }

    public static KafkaUuid Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadInt64BigEndian(source), BinaryPrimitives.ReadInt64BigEndian(source[8..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, MostSignificantBits);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], LeastSignificantBits);
    }

    public static KafkaUuid Parse(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/') + "==";
        var bytes = Convert.FromBase64String(padded);
        if (bytes.Length != Size)
        {
            throw new FormatException($"'{text}' is not a 16-byte Kafka UUID.");
        }
        return Read(bytes);
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        Write(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static bool IsAllZero(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept((byte)0) < 0;
}
