using Freshet.Protocol.Records;
using Freshet.Storage.Segments;

namespace Freshet.Storage.Cleaner;

/// <summary>Fills the offset map from one dirty segment: each key's last offset wins among non-transactional records.</summary>
internal static class DirtyKeys
{
    public static void Add(LogSegment segment, OffsetMap map)
    {
        using var cursor = new SegmentBatchCursor(segment);
        while (cursor.TryNext(out var batch, out var header))
        {
            // Transactional records never shadow others: an aborted one must not hide the value before it, and
            // the cleaner does not work out which transactions committed (see SegmentCleaner).
            if (header.IsControl || header.IsTransactional)
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
