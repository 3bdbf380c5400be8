using Freshet.Protocol.Primitives;

namespace Freshet.Broker.Topics;

/// <summary>The keys and values of the internal topics: an int16 schema version, then the struct in that version.</summary>
internal static class VersionedRecord
{
    public static byte[] Encode(short version, Action<KafkaWriter> body)
    {
        using var buffer = new PooledBufferWriter(64);
        var writer = new KafkaWriter(buffer);
        writer.WriteInt16(version);
        body(writer);
        return buffer.WrittenSpan.ToArray();
    }
}
