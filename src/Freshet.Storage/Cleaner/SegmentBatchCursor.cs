using System.Buffers;
using Freshet.Protocol.Records;
using Freshet.Storage.IO;
using Freshet.Storage.Segments;

namespace Freshet.Storage.Cleaner;

/// <summary>
/// Reads a segment's batches one after another into one pooled buffer, grown only for a batch
/// larger than any before it; each batch is valid until the next call.
/// </summary>
internal sealed class SegmentBatchCursor(LogSegment segment) : IDisposable
{
    private readonly long _limit = segment.Size;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private long _position;

    /// <summary>Bytes of the segment covered by the batches read so far.</summary>
    public long BytesRead => _position;

    public bool TryNext(out Memory<byte> batch, out RecordBatchHeader header)
    {
        if (!BatchHeaders.TryRead(segment.Handle, _position, _limit, out header))
        {
            batch = Memory<byte>.Empty;
            return false;
        }
        if (_buffer.Length < header.TotalSize)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(header.TotalSize);
        }
        batch = _buffer.AsMemory(0, header.TotalSize);
        if (!FileIo.TryReadExactly(segment.Handle, batch.Span, _position))
        {
            throw new CorruptRecordException($"Batch at {_position} of '{segment.LogPath}' cannot be read.");
        }
        _position += header.TotalSize;
        return true;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
