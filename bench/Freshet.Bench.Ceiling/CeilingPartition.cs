using System.Buffers;
using System.Buffers.Binary;
using Freshet.Protocol.Records;

namespace Freshet.Bench.Ceiling;

/// <summary>
/// A partition that stores nothing durable. Produce assigns offsets and keeps only the last few MiB of batches, so
/// that an end-to-end consumer right behind the producer gets its records back; reads below that window are served
/// from the partition's first batch, reused with its base offset rewritten (the base offset is outside the CRC), so
/// a consumer reading from the beginning gets batches of the same shape at memory speed.
/// </summary>
internal sealed class CeilingPartition
{
    /// <summary>Bytes of recent batches kept per partition.</summary>
    private const int RecentBytes = 4 * 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly Queue<StoredBatch> _recent = new();
    private long _recentBytes;
    private byte[]? _template;
    private int _templateRecords;

    public long NextOffset { get; private set; }

    /// <summary>Assigns offsets to the batches in <paramref name="records"/>; returns the first one's base offset.</summary>
    public long Append(ReadOnlySpan<byte> records)
    {
        lock (_lock)
        {
            var baseOffset = NextOffset;
            var position = 0;
            while (records.Length - position >= RecordBatchHeader.Size)
            {
                var length = RecordBatchHeader.LogOverhead + BinaryPrimitives.ReadInt32BigEndian(records[(position + RecordBatchHeader.BatchLengthOffset)..]);
                if (length > records.Length - position)
                    break;
                var batch = records.Slice(position, length);
                var count = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.LastOffsetDeltaOffset..]) + 1;
                var copy = ArrayPool<byte>.Shared.Rent(length);
                batch.CopyTo(copy);
                BinaryPrimitives.WriteInt64BigEndian(copy, NextOffset);
                if (_template is null)
                {
                    _template = batch.ToArray();
                    _templateRecords = count;
                }

                _recent.Enqueue(new StoredBatch(NextOffset, count, copy, length));
                _recentBytes += length;
                NextOffset += count;
                position += length;
            }

            while (_recentBytes > RecentBytes && _recent.Count > 1)
            {
                var old = _recent.Dequeue();
                _recentBytes -= old.Length;
                ArrayPool<byte>.Shared.Return(old.Bytes);
            }

            return baseOffset;
        }
    }

    /// <summary>Writes batches from <paramref name="offset"/> on, at least one and then up to <paramref name="maxBytes"/>.</summary>
    public int Read(long offset, int maxBytes, IBufferWriter<byte> output)
    {
        lock (_lock)
        {
            if (offset >= NextOffset || _recent.Count == 0)
                return 0;
            var written = 0;
            var oldest = _recent.Peek().BaseOffset;
            while (offset < oldest && _template is not null && (written == 0 || written + _template.Length <= maxBytes))
            {
                var span = output.GetSpan(_template.Length);
                _template.CopyTo(span);
                BinaryPrimitives.WriteInt64BigEndian(span, offset);
                output.Advance(_template.Length);
                written += _template.Length;
                offset += _templateRecords;
            }

            // Stopped short of the window by the byte limit: the next fetch continues with templates.
            if (offset < oldest)
                return written;

            foreach (var batch in _recent)
            {
                if (batch.BaseOffset + batch.Count <= offset)
                    continue;
                if (written > 0 && written + batch.Length > maxBytes)
                    break;
                output.Write(batch.Bytes.AsSpan(0, batch.Length));
                written += batch.Length;
            }

            return written;
        }
    }

    private readonly record struct StoredBatch(long BaseOffset, int Count, byte[] Bytes, int Length);
}
