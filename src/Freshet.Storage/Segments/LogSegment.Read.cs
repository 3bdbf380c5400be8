using Freshet.Protocol.Records;

namespace Freshet.Storage.Segments;

internal sealed partial class LogSegment
{
    /// <summary>
    /// Whole batches from the one containing <paramref name="startOffset"/>: at most <paramref name="maxBytes"/>
    /// (the first batch regardless when <paramref name="minOneBatch"/>), none whose last offset reaches
    /// <paramref name="maxOffset"/>. False when no batch of this segment holds <paramref name="startOffset"/> or a later offset.
    /// </summary>
    public bool TryRead(long startOffset, int maxBytes, long maxOffset, bool minOneBatch, out FileRegion region)
    {
        region = FileRegion.Empty;
        var limit = Size;
        if (!TryFindBatch(startOffset, limit, out var start, out var header))
        {
            return false;
        }
        var position = start;
        var length = 0;
        while (header.LastOffset < maxOffset)
        {
            var size = header.TotalSize;
            if (length + (long)size > maxBytes)
            {
                if (length == 0 && minOneBatch)
                {
                    length = size;
                }
                break;
            }
            length += size;
            position += size;
            if (!BatchHeaders.TryRead(_log, position, limit, out header))
            {
                break;
            }
        }
        region = length == 0 ? FileRegion.Empty : new FileRegion(_log, start, length);
        return true;
    }

    /// <summary>The first batch whose max timestamp is at least <paramref name="timestamp"/>: its max timestamp and base offset.</summary>
    public TimestampOffset? FindByTimestamp(long timestamp)
    {
        if (MaxTimestampAndOffset.Timestamp < timestamp)
        {
            return null;
        }
        var limit = Size;
        var (_, position) = _offsetIndex!.Lookup(_timeIndex!.Lookup(timestamp));
        while (BatchHeaders.TryRead(_log, position, limit, out var header))
        {
            if (header.MaxTimestamp >= timestamp)
            {
                return new TimestampOffset(header.MaxTimestamp, header.BaseOffset);
            }
            position += header.TotalSize;
        }
        return null;
    }

    /// <summary>Index lookup, then a forward scan of headers to the first batch whose last offset is ≥ <paramref name="offset"/>.</summary>
    private bool TryFindBatch(long offset, int limit, out int position, out RecordBatchHeader header)
    {
        EnsureIndexesLoaded();
        (_, position) = _offsetIndex!.Lookup(offset);
        while (BatchHeaders.TryRead(_log, position, limit, out header))
        {
            if (header.LastOffset >= offset)
            {
                return true;
            }
            position += header.TotalSize;
        }
        return false;
    }
}
