using System.Buffers.Binary;
using Freshet.Broker.Network;
using Freshet.Protocol.Framing;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Broker.Requests;

/// <summary>Encodes a response as size prefix, response header and body, into a pooled buffer.</summary>
internal static class ResponseWriter
{
    public static async ValueTask SendAsync(ConnectionContext connection, int correlationId, short headerVersion, IResponseMessage response, short version)
    {
        using var buffer = new PooledBufferWriter(1024);
        Encode(buffer, correlationId, headerVersion, response, version);
        await connection.Output.SendAsync(buffer.WrittenMemory, connection.Closing).ConfigureAwait(false);
    }

    public static void Encode(PooledBufferWriter buffer, int correlationId, short headerVersion, IResponseMessage response, short version)
    {
        var writer = new KafkaWriter(buffer);
        writer.WriteInt32(0);
        new ResponseHeader { CorrelationId = correlationId }.Write(writer, headerVersion);
        response.Write(writer, version);
        BinaryPrimitives.WriteInt32BigEndian(buffer.WrittenSpanForPatch, buffer.WrittenCount - FrameDecoder.SizePrefixLength);
    }
}
