using Freshet.Broker.Network;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Broker.Requests;

/// <summary>
/// Encodes a response as size prefix, response header and body into a pooled <see cref="ResponseFrame"/>; on a
/// connection that sends from files, large record regions stay in their segment files until the send.
/// </summary>
internal static class ResponseWriter
{
    public static async ValueTask SendAsync(ConnectionContext connection, int correlationId, short headerVersion, IResponseMessage response, short version)
    {
        using var frame = new ResponseFrame(1024, connection.Output.SendsFromFiles);
        Encode(frame, correlationId, headerVersion, response, version);
        await connection.Output.SendAsync(frame, connection.Closing).ConfigureAwait(false);
    }

    public static void Encode(ResponseFrame frame, int correlationId, short headerVersion, IResponseMessage response, short version)
    {
        var writer = new KafkaWriter(frame);
        writer.WriteInt32(0);
        new ResponseHeader { CorrelationId = correlationId }.Write(writer, headerVersion);
        response.Write(writer, version);
        frame.PatchSizePrefix();
    }
}
