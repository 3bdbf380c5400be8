namespace Freshet.Protocol.Records;

/// <summary>
/// One record with absolute offset and timestamp, for tools, tests and compaction; the produce
/// and fetch paths never materialise these. A null key or value is distinct from an empty one
/// (a null value is a tombstone).
/// </summary>
public readonly record struct Record(
    long Offset,
    long Timestamp,
    ReadOnlyMemory<byte>? Key,
    ReadOnlyMemory<byte>? Value,
    RecordHeader[] Headers)
{
    public Record(long offset, long timestamp, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value)
        : this(offset, timestamp, key, value, [])
    {
    }
}

/// <summary>A record header: a UTF-8 key that is never null, and a value that may be.</summary>
public readonly record struct RecordHeader(string Key, ReadOnlyMemory<byte>? Value);
