using System.Buffers.Binary;

namespace Freshet.Protocol.Records;

/// <summary>
/// Walks concatenated v2 batches (a Produce request's records, a log segment's tail) by their
/// 12-byte log overhead, yielding each batch without copying. It stops at the first batch that
/// does not fit (a torn tail) or, with <c>verify</c>, at the first batch that fails
/// <see cref="RecordBatchValidator"/>; <see cref="Error"/> and <see cref="ValidBytes"/> then say
/// where and why, which is exactly where recovery truncates.
/// </summary>
public ref struct RecordBatchEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly bool _verify;
    private int _position;
    private RecordBatchSlice _current;

    /// <param name="verify">Run the full check (magic, CRC, counts) on each batch, not just framing.</param>
    public RecordBatchEnumerator(ReadOnlySpan<byte> data, bool verify = true)
    {
        _data = data;
        _verify = verify;
    }

    public readonly RecordBatchSlice Current => _current;

    /// <summary>Why enumeration stopped early; <see cref="RecordBatchError.None"/> when every byte was a whole batch.</summary>
    public RecordBatchError Error { get; private set; }

    /// <summary>True when the data ends inside a batch (or inside a log overhead): a partial trailing batch.</summary>
    public readonly bool HasPartialTrailingBatch => Error == RecordBatchError.Truncated;

    /// <summary>Bytes covered by the batches yielded so far.</summary>
    public readonly int ValidBytes => _position;

    public readonly RecordBatchEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        var rest = _data[_position..];
        if (rest.IsEmpty || Error != RecordBatchError.None)
        {
            return false;
        }
        if (rest.Length < RecordBatchHeader.LogOverhead)
        {
            Error = RecordBatchError.Truncated;
            return false;
        }
        var batchLength = BinaryPrimitives.ReadInt32BigEndian(rest[RecordBatchHeader.BatchLengthOffset..]);
        if (batchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead)
        {
            Error = RecordBatchError.InvalidLength;
            return false;
        }
        if (batchLength > rest.Length - RecordBatchHeader.LogOverhead)
        {
            Error = RecordBatchError.Truncated;
            return false;
        }
        var bytes = rest[..(RecordBatchHeader.LogOverhead + batchLength)];
        RecordBatchHeader header;
        if (_verify)
        {
            var error = RecordBatchValidator.Validate(bytes, out header, allowEmpty: true);
            if (error != RecordBatchError.None)
            {
                Error = error;
                return false;
            }
        }
        else
        {
            header = RecordBatchHeader.Read(bytes);
        }
        _current = new RecordBatchSlice(bytes, header, _position);
        _position += bytes.Length;
        return true;
    }
}

/// <summary>One batch found by <see cref="RecordBatchEnumerator"/>; <see cref="Position"/> lets a caller holding memory slice it.</summary>
public readonly ref struct RecordBatchSlice(ReadOnlySpan<byte> bytes, RecordBatchHeader header, int position)
{
    public ReadOnlySpan<byte> Bytes { get; } = bytes;

    public RecordBatchHeader Header { get; } = header;

    /// <summary>Offset of the batch's first byte in the enumerated data.</summary>
    public int Position { get; } = position;

    public int Length => Bytes.Length;
}
