using Freshet.Protocol.Records;
using Freshet.Storage.Segments;

namespace Freshet.Storage.Cleaner;

/// <summary>Fills the offset map from one dirty segment: each key's last offset wins.</summary>
internal static class DirtyKeys
{
    public static void Add(LogSegment segment, OffsetMap map)
    {
        using var cursor = new SegmentBatchCursor(segment);
        while (cursor.TryNext(out var batch, out var header))
        {
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
}
