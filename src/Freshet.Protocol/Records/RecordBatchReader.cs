using System.Buffers;
using Freshet.Protocol.Compression;
using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Records;

/// <summary>
/// Reads the records inside one v2 batch, decompressing when the attributes say so. Every
/// decompression is capped, so a small batch cannot expand into unbounded memory.
/// </summary>
public static class RecordBatchReader
{
    /// <summary>The default cap on a batch's decompressed records: generous next to message.max.bytes, bounded against bombs.</summary>
    public const int DefaultMaxDecompressedSize = 64 * 1024 * 1024;

    /// <summary>Reads every record; throws <see cref="RecordBatchException"/> when the batch is invalid.</summary>
    public static Record[] ReadRecords(ReadOnlyMemory<byte> batch, int maxDecompressedSize = DefaultMaxDecompressedSize)
    {
        var error = TryReadRecords(batch, out _, out var records, maxDecompressedSize);
        return error == RecordBatchError.None ? records : throw new RecordBatchException(error);
    }

    public static RecordBatchError TryReadRecords(
        ReadOnlyMemory<byte> batch, out RecordBatchHeader header, out Record[] records, int maxDecompressedSize = DefaultMaxDecompressedSize)
    {
        records = [];
        var error = RecordBatchValidator.Validate(batch.Span, out header, allowEmpty: true);
        if (error != RecordBatchError.None)
        {
            return error;
        }
        ReadOnlyMemory<byte> data;
        if (header.Compression == CompressionType.None)
        {
            data = batch[RecordBatchHeader.Size..];
        }
        else
        {
            // The records outlive this call, so they get their own array rather than a pooled one.
            using var buffer = new PooledBufferWriter(4096);
            error = Decompress(header.Compression, batch.Span[RecordBatchHeader.Size..], buffer, maxDecompressedSize);
            if (error != RecordBatchError.None)
            {
                return error;
            }
            data = buffer.WrittenSpan.ToArray();
        }
        error = Walk(data.Span, header);
        if (error != RecordBatchError.None)
        {
            return error;
        }
        records = Materialise(data, header);
        return RecordBatchError.None;
    }

    /// <summary>
    /// Checks that a valid batch's records parse and agree with its header (count, offset
    /// deltas), allocating nothing per record; compressed records are decompressed into a
    /// pooled buffer that is returned before this returns.
    /// </summary>
    public static RecordBatchError ValidateRecords(ReadOnlySpan<byte> batch, int maxDecompressedSize = DefaultMaxDecompressedSize)
    {
        var error = RecordBatchValidator.Validate(batch, out var header, allowEmpty: true);
        if (error != RecordBatchError.None)
        {
            return error;
        }
        if (header.Compression == CompressionType.None)
        {
            return Walk(batch[RecordBatchHeader.Size..], header);
        }
        using var buffer = new PooledBufferWriter(Math.Min(maxDecompressedSize, 4 * batch.Length) + 1);
        error = Decompress(header.Compression, batch[RecordBatchHeader.Size..], buffer, maxDecompressedSize);
        return error != RecordBatchError.None ? error : Walk(buffer.WrittenSpan, header);
    }

    /// <summary>
    /// Whether any record of a valid batch has a null key (a compacted topic refuses those), decompressing into a
    /// pooled buffer and allocating nothing per record. Records are assumed already validated.
    /// </summary>
    public static RecordBatchError TryFindNullKey(ReadOnlySpan<byte> batch, out bool hasNullKey, int maxDecompressedSize = DefaultMaxDecompressedSize)
    {
        hasNullKey = false;
        var header = RecordBatchHeader.Read(batch);
        if (header.Compression == CompressionType.None)
        {
            return FindNullKey(batch[RecordBatchHeader.Size..], header.RecordCount, out hasNullKey);
        }
        using var buffer = new PooledBufferWriter(Math.Min(maxDecompressedSize, 4 * batch.Length) + 1);
        var error = Decompress(header.Compression, batch[RecordBatchHeader.Size..], buffer, maxDecompressedSize);
        return error != RecordBatchError.None ? error : FindNullKey(buffer.WrittenSpan, header.RecordCount, out hasNullKey);
    }

    private static RecordBatchError FindNullKey(ReadOnlySpan<byte> data, int recordCount, out bool hasNullKey)
    {
        hasNullKey = false;
        var position = 0;
        for (var i = 0; i < recordCount && position < data.Length; i++)
        {
            var error = RecordLayout.TryRead(data, position, out var layout);
            if (error != RecordBatchError.None)
            {
                return error;
            }
            if (layout.KeyLength < 0)
            {
                hasNullKey = true;
                return RecordBatchError.None;
            }
            position = layout.End;
        }
        return RecordBatchError.None;
    }

    internal static RecordBatchError Decompress(CompressionType type, ReadOnlySpan<byte> source, IBufferWriter<byte> output, int max) =>
        CompressionCodecs.Decompress(type, source, output, max) switch
        {
            CompressionError.None => RecordBatchError.None,
            CompressionError.TooLarge => RecordBatchError.DecompressedTooLarge,
            CompressionError.UnsupportedCodec => RecordBatchError.UnsupportedCompression,
            _ => RecordBatchError.DecompressionFailed,
        };

    /// <summary>Parses each record in turn: exactly recordCount of them, filling the data, with increasing offset deltas within lastOffsetDelta.</summary>
    private static RecordBatchError Walk(ReadOnlySpan<byte> data, in RecordBatchHeader header)
    {
        var position = 0;
        var previousDelta = -1;
        for (var i = 0; i < header.RecordCount; i++)
        {
            if (position >= data.Length)
            {
                return RecordBatchError.InvalidRecordCount;
            }
            var error = RecordLayout.TryRead(data, position, out var layout);
            if (error != RecordBatchError.None)
            {
                return error;
            }
            if (layout.OffsetDelta <= previousDelta || layout.OffsetDelta > header.LastOffsetDelta)
            {
                return RecordBatchError.InvalidRecord;
            }
            previousDelta = layout.OffsetDelta;
            position = layout.End;
        }
        return position == data.Length ? RecordBatchError.None : RecordBatchError.InvalidRecordCount;
    }

    private static Record[] Materialise(ReadOnlyMemory<byte> data, in RecordBatchHeader header)
    {
        var records = new Record[header.RecordCount];
        var span = data.Span;
        var position = 0;
        var logAppendTime = header.TimestampType == TimestampType.LogAppendTime;
        for (var i = 0; i < records.Length; i++)
        {
            RecordLayout.TryRead(span, position, out var layout);
            records[i] = new Record(
                header.BaseOffset + layout.OffsetDelta,
                logAppendTime ? header.MaxTimestamp : header.BaseTimestamp + layout.TimestampDelta,
                RecordLayout.NullableSlice(data, layout.KeyStart, layout.KeyLength),
                RecordLayout.NullableSlice(data, layout.ValueStart, layout.ValueLength),
                layout.ReadHeaders(data));
            position = layout.End;
        }
        return records;
    }
}
