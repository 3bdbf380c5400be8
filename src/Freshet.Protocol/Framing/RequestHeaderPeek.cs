using System.Buffers.Binary;

namespace Freshet.Protocol.Framing;

/// <summary>
/// The api key and version that open every request header, read before the header itself
/// because they decide which header version follows.
/// </summary>
public static class RequestHeaderPeek
{
    public const int CorrelationIdOffset = 4;

    public static bool TryPeek(ReadOnlySpan<byte> frame, out short apiKey, out short apiVersion, out int correlationId)
    {
        if (frame.Length < 8)
        {
            apiKey = apiVersion = 0;
            correlationId = 0;
            return false;
        }
        apiKey = BinaryPrimitives.ReadInt16BigEndian(frame);
        apiVersion = BinaryPrimitives.ReadInt16BigEndian(frame[2..]);
        correlationId = BinaryPrimitives.ReadInt32BigEndian(frame[CorrelationIdOffset..]);
        return true;
    }
}
