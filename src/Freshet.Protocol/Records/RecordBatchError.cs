namespace Freshet.Protocol.Records;

/// <summary>Why a record batch or legacy message set was rejected. Maps onto Kafka's CORRUPT_MESSAGE / INVALID_RECORD family.</summary>
public enum RecordBatchError
{
    None = 0,

    /// <summary>Fewer bytes than the batch says it has, or than a header needs.</summary>
    Truncated,

    /// <summary>batchLength (or a legacy message size) is negative, too small for a header, or disagrees with the bytes given.</summary>
    InvalidLength,

    /// <summary>The magic byte is not one this operation handles.</summary>
    UnsupportedMagic,

    /// <summary>The stored CRC does not match the bytes.</summary>
    CrcMismatch,

    /// <summary>recordCount is negative, zero where records are required, inconsistent with lastOffsetDelta, or not the number of records present.</summary>
    InvalidRecordCount,

    /// <summary>A record inside the batch does not parse: bad varint, negative or oversized length, trailing bytes.</summary>
    InvalidRecord,

    /// <summary>The attribute bits name an unknown codec.</summary>
    UnsupportedCompression,

    /// <summary>The compressed records are not valid for their codec.</summary>
    DecompressionFailed,

    /// <summary>The records would decompress past the caller's cap.</summary>
    DecompressedTooLarge,
}
