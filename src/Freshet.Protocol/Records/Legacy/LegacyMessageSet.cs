using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Records.Legacy;

/// <summary>
/// Magic 0 and 1 message sets, sent by clients older than Kafka 0.11. The broker stores only v2,
/// so a legacy produce is converted into one v2 batch, as Kafka does when the log format is v2.
/// Layout of one message, big-endian:
/// <code>
///  0 offset     int64
///  8 size       int32    bytes after this field
/// 12 crc        uint32   CRC-32 (IEEE) of magic..end
/// 16 magic      int8     0 or 1
/// 17 attributes int8     bits 0-2 codec; bit 3 timestamp type (v1 only)
/// 18 timestamp  int64    v1 only
///    key        int32 length (-1 = null), bytes
///    value      int32 length (-1 = null), bytes
/// </code>
/// A compressed message is a wrapper whose value is a compressed inner message set; in v1 the
/// inner offsets are relative (the wrapper carries the last inner offset), in v0 absolute.
/// </summary>
public static class LegacyMessageSet
{
    private const int LogOverhead = 12;
    private const int MinMessageSizeV0 = 4 + 1 + 1 + 4 + 4;
    private const int MinMessageSizeV1 = MinMessageSizeV0 + 8;
    private const int CodecMask = 0x07;
    private const int LogAppendTimeFlag = 0x08;

    /// <summary>Kafka's RecordBatch.NO_TIMESTAMP, the timestamp of a v0 message.</summary>
    public const long NoTimestamp = -1;

    /// <summary>
    /// Converts a whole legacy message set into one v2 batch, uncompressed or recompressed with
    /// the codec the producer used. Offsets become consecutive from the first message's (the
    /// broker assigns real ones on append, as it does for any batch).
    /// </summary>
    public static bool TryConvertToBatch(
        ReadOnlySpan<byte> messageSet, IBufferWriter<byte> output, out RecordBatchError error,
        int maxDecompressedSize = RecordBatchReader.DefaultMaxDecompressedSize)
    {
        // Records refer to memory; the legacy path is rare enough to afford one copy for that.
        error = TryReadRecords(messageSet.ToArray(), out var records, out var compression, maxDecompressedSize);
        if (error != RecordBatchError.None)
        {
            return false;
        }
        RecordBatchBuilder.Build(output, records, new RecordBatchOptions
        {
            BaseOffset = records[0].Offset,
            Compression = compression,
        });
        return true;
    }

    /// <summary>
    /// Reads every message of a legacy set, unwrapping compressed wrappers, as records with
    /// consecutive offsets. <paramref name="compression"/> is the first codec seen.
    /// </summary>
    public static RecordBatchError TryReadRecords(
        ReadOnlyMemory<byte> messageSet, out Record[] records, out CompressionType compression,
        int maxDecompressedSize = RecordBatchReader.DefaultMaxDecompressedSize)
    {
        var reader = new Reader(maxDecompressedSize);
        var error = reader.ReadSet(messageSet, nested: false);
        compression = reader.Compression;
        records = [];
        if (error != RecordBatchError.None)
        {
            return error;
        }
        if (reader.Records.Count == 0)
        {
            return RecordBatchError.InvalidRecordCount;
        }
        records = [.. reader.Records];
        return RecordBatchError.None;
    }

    private sealed class Reader(int maxDecompressedSize)
    {
        private int _decompressBudget = maxDecompressedSize;

        public List<Record> Records { get; } = [];

        public CompressionType Compression { get; private set; }

        private long _firstOffset = -1;

        public RecordBatchError ReadSet(ReadOnlyMemory<byte> set, bool nested, long wrapperTimestamp = NoTimestamp, bool useWrapperTimestamp = false)
        {
            var position = 0;
            while (position < set.Length)
            {
                var span = set.Span[position..];
                if (span.Length < LogOverhead)
                {
                    return RecordBatchError.Truncated;
                }
                var size = BinaryPrimitives.ReadInt32BigEndian(span[8..]);
                if (size < MinMessageSizeV0)
                {
                    return RecordBatchError.InvalidLength;
                }
                if (size > span.Length - LogOverhead)
                {
                    return RecordBatchError.Truncated;
                }
                var error = ReadMessage(set.Slice(position, LogOverhead + size), nested, wrapperTimestamp, useWrapperTimestamp);
                if (error != RecordBatchError.None)
                {
                    return error;
                }
                position += LogOverhead + size;
            }
            return RecordBatchError.None;
        }

        private RecordBatchError ReadMessage(ReadOnlyMemory<byte> message, bool nested, long wrapperTimestamp, bool useWrapperTimestamp)
        {
            var span = message.Span;
            var magic = (sbyte)span[16];
            if (magic is not (0 or 1))
            {
                return RecordBatchError.UnsupportedMagic;
            }
            if (magic == 1 && span.Length - LogOverhead < MinMessageSizeV1)
            {
                return RecordBatchError.InvalidLength;
            }
            if (Crc32.HashToUInt32(span[16..]) != BinaryPrimitives.ReadUInt32BigEndian(span[12..]))
            {
                return RecordBatchError.CrcMismatch;
            }
            var offset = BinaryPrimitives.ReadInt64BigEndian(span);
            var attributes = span[17];
            var position = 18;
            var timestamp = NoTimestamp;
            if (magic == 1)
            {
                timestamp = BinaryPrimitives.ReadInt64BigEndian(span[position..]);
                position += 8;
            }
            if (!TryReadBytes(message, ref position, out var key) || !TryReadBytes(message, ref position, out var value)
                || position != message.Length)
            {
                return RecordBatchError.InvalidRecord;
            }
            var codec = (CompressionType)(attributes & CodecMask);
            if (codec == CompressionType.None)
            {
                if (_firstOffset < 0)
                {
                    _firstOffset = Math.Max(offset, 0);
                }
                Records.Add(new Record(_firstOffset + Records.Count, useWrapperTimestamp ? wrapperTimestamp : timestamp, key, value));
                return RecordBatchError.None;
            }
            // Kafka never nests compression, and a wrapper without a value has nothing to unwrap.
            if (nested || value is not { } compressed)
            {
                return RecordBatchError.InvalidRecord;
            }
            if (Compression == CompressionType.None)
            {
                Compression = codec;
            }
            return ReadWrapper(compressed, codec, offset, timestamp, magic == 1 && (attributes & LogAppendTimeFlag) != 0);
        }

        private RecordBatchError ReadWrapper(ReadOnlyMemory<byte> compressed, CompressionType codec, long offset, long timestamp, bool logAppendTime)
        {
            using var buffer = new PooledBufferWriter(Math.Min(_decompressBudget, 4 * compressed.Length) + 1);
            var error = RecordBatchReader.Decompress(codec, compressed.Span, buffer, _decompressBudget);
            if (error != RecordBatchError.None)
            {
                return error;
            }
            _decompressBudget -= buffer.WrittenCount;
            if (_firstOffset < 0)
            {
                // The wrapper's offset is its last inner message's, so the first is found after
                // unwrapping; until then the inner messages count from zero.
                _firstOffset = 0;
                var before = Records.Count;
                error = ReadSet(buffer.WrittenSpan.ToArray(), nested: true, timestamp, logAppendTime);
                var innerCount = Records.Count - before;
                var first = Math.Max(offset - innerCount + 1, 0);
                _firstOffset = first;
                Rebase(first);
                return error;
            }
            return ReadSet(buffer.WrittenSpan.ToArray(), nested: true, timestamp, logAppendTime);
        }

        private void Rebase(long first)
        {
            var records = CollectionsMarshal.AsSpan(Records);
            for (var i = 0; i < records.Length; i++)
            {
                records[i] = records[i] with { Offset = first + i };
            }
        }

        /// <summary>An int32-length byte field (-1 = null) sliced from the message.</summary>
        private static bool TryReadBytes(ReadOnlyMemory<byte> message, ref int position, out ReadOnlyMemory<byte>? bytes)
        {
            bytes = null;
            if (message.Length - position < sizeof(int))
            {
                return false;
            }
            var length = BinaryPrimitives.ReadInt32BigEndian(message.Span[position..]);
            position += sizeof(int);
            if (length == -1)
            {
                return true;
            }
            if (length < 0 || length > message.Length - position)
            {
                return false;
            }
            bytes = message.Slice(position, length);
            position += length;
            return true;
        }
    }
}
