using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Freshet.Protocol.Compression;
using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Records;

/// <summary>
/// Builds one v2 batch from records (for tests, tools, internal topics and legacy conversion).
/// Offsets in the records are absolute and become deltas from <see cref="RecordBatchOptions.BaseOffset"/>;
/// baseTimestamp is the first record's timestamp, as the Java producer writes it.
/// </summary>
public static class RecordBatchBuilder
{
    public static byte[] Build(ReadOnlySpan<Record> records, RecordBatchOptions? options = null)
    {
        using var output = new PooledBufferWriter(RecordBatchHeader.Size + 64);
        Build(output, records, options ?? new RecordBatchOptions());
        return output.WrittenSpan.ToArray();
    }

    public static void Build(IBufferWriter<byte> output, ReadOnlySpan<Record> records, RecordBatchOptions options)
    {
        if (records.IsEmpty)
        {
            throw new ArgumentException("A batch holds at least one record.", nameof(records));
        }
        var baseTimestamp = options.DeleteHorizonMs ?? records[0].Timestamp;
        var maxTimestamp = long.MinValue;
        var lastOffsetDelta = -1;
        using var body = new PooledBufferWriter(1024);
        foreach (var record in records)
        {
            var delta = record.Offset - options.BaseOffset;
            if (delta <= lastOffsetDelta || delta > int.MaxValue)
            {
                throw new ArgumentException("Record offsets must increase from BaseOffset and stay within an int32 delta.", nameof(records));
            }
            lastOffsetDelta = (int)delta;
            maxTimestamp = Math.Max(maxTimestamp, record.Timestamp);
            WriteRecord(body, record, record.Timestamp - baseTimestamp, lastOffsetDelta);
        }
        if (options.LastOffsetDelta is { } keptDelta)
        {
            lastOffsetDelta = keptDelta >= lastOffsetDelta
                ? keptDelta
                : throw new ArgumentException("LastOffsetDelta is below the last record's offset delta.", nameof(options));
        }
        using var compressed = options.Compression == CompressionType.None ? null : new PooledBufferWriter(body.WrittenCount / 2 + 64);
        if (compressed is not null)
        {
            CompressionCodecs.Compress(options.Compression, body.WrittenSpan, compressed);
        }
        var payload = compressed is null ? body.WrittenSpan : compressed.WrittenSpan;

        var size = RecordBatchHeader.Size + payload.Length;
        var batch = output.GetSpan(size)[..size];
        var header = new RecordBatchHeader(
            options.BaseOffset,
            size - RecordBatchHeader.LogOverhead,
            options.PartitionLeaderEpoch,
            RecordBatchHeader.CurrentMagic,
            Crc: 0,
            Attributes(options),
            lastOffsetDelta,
            baseTimestamp,
            maxTimestamp,
            options.ProducerId,
            options.ProducerEpoch,
            options.BaseSequence,
            records.Length);
        WriteHeader(batch, header);
        payload.CopyTo(batch[RecordBatchHeader.Size..]);
        BinaryPrimitives.WriteUInt32BigEndian(batch[RecordBatchHeader.CrcOffset..], RecordBatchHeader.ComputeCrc(batch));
        output.Advance(size);
    }

    private static short Attributes(RecordBatchOptions options)
    {
        var attributes = (short)((short)options.Compression & RecordBatchHeader.CompressionMask);
        if (options.TimestampType == TimestampType.LogAppendTime)
        {
            attributes |= RecordBatchHeader.TimestampTypeFlag;
        }
        if (options.IsTransactional)
        {
            attributes |= RecordBatchHeader.TransactionalFlag;
        }
        if (options.IsControl)
        {
            attributes |= RecordBatchHeader.ControlFlag;
        }
        if (options.DeleteHorizonMs is not null)
        {
            attributes |= RecordBatchHeader.DeleteHorizonFlag;
        }
        return attributes;
    }

    /// <summary>Writes the 61-byte header (layout on <see cref="RecordBatchHeader"/>) with the CRC as given.</summary>
    internal static void WriteHeader(Span<byte> batch, in RecordBatchHeader header)
    {
        BinaryPrimitives.WriteInt64BigEndian(batch, header.BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.BatchLengthOffset..], header.BatchLength);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.PartitionLeaderEpochOffset..], header.PartitionLeaderEpoch);
        batch[RecordBatchHeader.MagicOffset] = (byte)header.Magic;
        BinaryPrimitives.WriteUInt32BigEndian(batch[RecordBatchHeader.CrcOffset..], header.Crc);
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..], header.Attributes);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.LastOffsetDeltaOffset..], header.LastOffsetDelta);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.BaseTimestampOffset..], header.BaseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.MaxTimestampOffset..], header.MaxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.ProducerIdOffset..], header.ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.ProducerEpochOffset..], header.ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.BaseSequenceOffset..], header.BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.RecordCountOffset..], header.RecordCount);
    }

    // Record layout is documented on RecordLayout. The body size is computed first because the
    // record's length varint precedes it.
    private static void WriteRecord(IBufferWriter<byte> output, in Record record, long timestampDelta, int offsetDelta)
    {
        var bodySize = 1 + Varint.SizeOfSigned(timestampDelta) + Varint.SizeOfSigned(offsetDelta)
            + BytesSize(record.Key) + BytesSize(record.Value) + Varint.SizeOfSigned(record.Headers.Length);
        foreach (var header in record.Headers)
        {
            var keyLength = Encoding.UTF8.GetByteCount(header.Key);
            bodySize += Varint.SizeOfSigned(keyLength) + keyLength + BytesSize(header.Value);
        }
        var total = Varint.SizeOfSigned(bodySize) + bodySize;
        var span = output.GetSpan(total);
        var p = Varint.WriteSigned(span, bodySize);
        span[p++] = 0; // attributes: unused
        p += Varint.WriteSigned(span[p..], timestampDelta);
        p += Varint.WriteSigned(span[p..], offsetDelta);
        p += WriteBytes(span[p..], record.Key);
        p += WriteBytes(span[p..], record.Value);
        p += Varint.WriteSigned(span[p..], record.Headers.Length);
        foreach (var header in record.Headers)
        {
            var keyLength = Encoding.UTF8.GetByteCount(header.Key);
            p += Varint.WriteSigned(span[p..], keyLength);
            p += Encoding.UTF8.GetBytes(header.Key, span[p..]);
            p += WriteBytes(span[p..], header.Value);
        }
        output.Advance(p);
    }

    private static int BytesSize(ReadOnlyMemory<byte>? bytes) =>
        bytes is { } b ? Varint.SizeOfSigned(b.Length) + b.Length : Varint.SizeOfSigned(-1);

    private static int WriteBytes(Span<byte> span, ReadOnlyMemory<byte>? bytes)
    {
        if (bytes is not { } b)
        {
            return Varint.WriteSigned(span, -1);
        }
        var p = Varint.WriteSigned(span, b.Length);
        b.Span.CopyTo(span[p..]);
        return p + b.Length;
    }
}
