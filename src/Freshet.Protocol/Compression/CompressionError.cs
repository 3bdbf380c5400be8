namespace Freshet.Protocol.Compression;

/// <summary>Why a payload failed to decompress. Corrupt input is the sender's fault, never an exception escaping to the caller.</summary>
public enum CompressionError
{
    None = 0,

    /// <summary>The attribute bits name a codec this broker does not know.</summary>
    UnsupportedCodec,

    /// <summary>The payload is not valid for its codec (bad framing, checksum, or truncated).</summary>
    Corrupt,

    /// <summary>The payload would expand past the caller's cap: a decompression bomb or simply too large.</summary>
    TooLarge,
}
