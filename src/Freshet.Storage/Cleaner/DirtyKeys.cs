using System.Buffers;
using Freshet.Protocol.Records;
using Freshet.Storage.IO;
using Freshet.Storage.Segments;

namespace Freshet.Storage.Cleaner;

/// <summary>Fills the offset map from one dirty segment: each key's last offset wins.</summary>
internal static class DirtyKeys
{
    public static void Add(LogSegment segment, OffsetMap map)
    {
        var limit = segment.Size;
        var position = 0L;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (BatchHeaders.TryRead(segment.Handle, position, limit, out var header))
            {
                if (buffer.Length < header.TotalSize)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(header.TotalSize);
                }
                var batch = buffer.AsMemory(0, header.TotalSize);
                if (!FileIo.TryReadExactly(segment.Handle, batch.Span, position))
                {
                    throw new CorruptRecordException($"Batch at {position} of '{segment.LogPath}' cannot be read.");
                }
                position += header.TotalSize;
                if (header.IsControl)
                {
                    continue;
                }
                foreach (var record in RecordBatchReader.ReadRecords(batch))
                {
                    if (record.Key is { } key)
                    {
                        map.Put(key.Span, record.Offset);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
