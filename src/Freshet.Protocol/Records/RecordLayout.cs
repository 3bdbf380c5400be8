using System.Text;
using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Records;

/// <summary>
/// Where one record's fields sit in the records section, as positions rather than objects, so
/// validation can walk every record without allocating. Layout of a record:
/// <code>
/// length          varint   bytes after this field
/// attributes      int8     unused
/// timestampDelta  varlong  from baseTimestamp
/// offsetDelta     varint   from baseOffset
/// keyLength       varint   -1 = null key; then key bytes
/// valueLength     varint   -1 = null value (tombstone); then value bytes
/// headerCount     varint;  per header: keyLength varint, key (UTF-8), valueLength varint (-1 = null), value
/// </code>
/// </summary>
internal readonly record struct RecordLayout(
    int End,
    long TimestampDelta,
    int OffsetDelta,
    int KeyStart,
    int KeyLength,
    int ValueStart,
    int ValueLength,
    int HeadersStart,
    int HeaderCount)
{
    /// <summary>
    /// Parses the record at <paramref name="position"/>. Every length is checked against the
    /// record's own length before it is used, so a hostile varint is an error, not a huge slice.
    /// </summary>
    public static RecordBatchError TryRead(ReadOnlySpan<byte> data, int position, out RecordLayout layout)
    {
        layout = default;
        if (!Varint.TryReadSigned(data[position..], out int length, out var read)
            || length < RecordBatchValidator.MinRecordSize - 1
            || length > data.Length - position - read)
        {
            return RecordBatchError.InvalidRecord;
        }
        var start = position + read;
        var end = start + length;
        var body = data[..end];
        var p = start + 1; // attributes
        if (!Varint.TryReadSigned(body[p..], out long timestampDelta, out read))
        {
            return RecordBatchError.InvalidRecord;
        }
        p += read;
        if (!Varint.TryReadSigned(body[p..], out int offsetDelta, out read) || offsetDelta < 0)
        {
            return RecordBatchError.InvalidRecord;
        }
        p += read;
        if (!TryReadBytes(body, ref p, out var keyStart, out var keyLength)
            || !TryReadBytes(body, ref p, out var valueStart, out var valueLength)
            || !Varint.TryReadSigned(body[p..], out int headerCount, out read)
            || headerCount < 0)
        {
            return RecordBatchError.InvalidRecord;
        }
        p += read;
        var headersStart = p;
        for (var i = 0; i < headerCount; i++)
        {
            if (!TryReadBytes(body, ref p, out _, out var headerKeyLength) || headerKeyLength < 0
                || !TryReadBytes(body, ref p, out _, out _))
            {
                return RecordBatchError.InvalidRecord;
            }
        }
        if (p != end)
        {
            return RecordBatchError.InvalidRecord;
        }
        layout = new RecordLayout(end, timestampDelta, offsetDelta, keyStart, keyLength, valueStart, valueLength, headersStart, headerCount);
        return RecordBatchError.None;
    }

    /// <summary>Reads a varint length (-1 = null) and skips the bytes; false when they do not fit in <paramref name="body"/>.</summary>
    public static bool TryReadBytes(ReadOnlySpan<byte> body, ref int position, out int start, out int length)
    {
        start = 0;
        if (!Varint.TryReadSigned(body[position..], out length, out var read) || length < -1)
        {
            return false;
        }
        start = position + read;
        var size = Math.Max(length, 0);
        if (size > body.Length - start)
        {
            return false;
        }
        position = start + size;
        return true;
    }

    /// <summary>
    /// A length of -1 is null. Spelled out because <c>cond ? null : memory</c> types as
    /// ReadOnlyMemory (null converts through byte[]) and silently turns null into empty.
    /// </summary>
    public static ReadOnlyMemory<byte>? NullableSlice(ReadOnlyMemory<byte> data, int start, int length) =>
        length < 0 ? default(ReadOnlyMemory<byte>?) : data.Slice(start, length);

    /// <summary>Materialises the headers; only called after <see cref="TryRead"/> has checked them.</summary>
    public RecordHeader[] ReadHeaders(ReadOnlyMemory<byte> data)
    {
        if (HeaderCount == 0)
        {
            return [];
        }
        var headers = new RecordHeader[HeaderCount];
        var span = data.Span[..End];
        var p = HeadersStart;
        for (var i = 0; i < headers.Length; i++)
        {
            TryReadBytes(span, ref p, out var keyStart, out var keyLength);
            TryReadBytes(span, ref p, out var valueStart, out var valueLength);
            headers[i] = new RecordHeader(
                Encoding.UTF8.GetString(span.Slice(keyStart, keyLength)),
                NullableSlice(data, valueStart, valueLength));
        }
        return headers;
    }
}
