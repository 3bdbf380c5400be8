namespace Freshet.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Whole batches from one segment, starting with the batch that contains <paramref name="startOffset"/>: at most
    /// <paramref name="maxBytes"/> (the first batch regardless when <paramref name="minOneBatch"/>), and only batches
    /// whose last offset is below <paramref name="maxOffset"/> (exclusive; the high watermark for consumers).
    /// </summary>
    /// <exception cref="OffsetOutOfRangeException"><paramref name="startOffset"/> is below the log start or above the log end.</exception>
    /// <exception cref="KafkaStorageException">The log dir is offline, or goes offline with this read.</exception>
    public LogReadResult Read(long startOffset, int maxBytes, long maxOffset, bool minOneBatch)
    {
        var health = Health;
        health.ThrowIfOffline(TopicPartition);
        try
        {
            return ReadChecked(startOffset, maxBytes, maxOffset, minOneBatch);
        }
        catch (IOException e)
        {
            throw health.Fail(TopicPartition, "read", e);
        }
    }

    private LogReadResult ReadChecked(long startOffset, int maxBytes, long maxOffset, bool minOneBatch)
    {
        var logEndOffset = LogEndOffset;
        var logStartOffset = LogStartOffset;
        var highWatermark = HighWatermark;
        if (startOffset < logStartOffset || startOffset > logEndOffset)
        {
            throw new OffsetOutOfRangeException(TopicPartition, startOffset, logStartOffset, logEndOffset);
        }
        Health.InjectFault("read");
        var region = FileRegion.Empty;
        maxOffset = Math.Min(maxOffset, logEndOffset);
        if (startOffset < maxOffset)
        {
            var segments = Volatile.Read(ref _segments);
            if (startOffset < segments[0].BaseOffset)
            {
                // Retention removed the segment between the range check and here; the start offset has moved past it.
                throw new OffsetOutOfRangeException(TopicPartition, startOffset, LogStartOffset, logEndOffset);
            }
            try
            {
                for (var i = FloorSegment(segments, startOffset); i < segments.Length; i++)
                {
                    if (segments[i].TryRead(startOffset, maxBytes, maxOffset, minOneBatch, out region))
                    {
                        break;
                    }
                }
            }
            catch (ObjectDisposedException) when (Array.Exists(segments, segment => segment.IsMarkedDeleted))
            {
                // A segment of this snapshot was deleted and its file.delete.delay.ms passed during the read. Below
                // the new start the records are gone; otherwise the segment was replaced and the current list has them.
                if (startOffset < LogStartOffset)
                {
                    throw new OffsetOutOfRangeException(TopicPartition, startOffset, LogStartOffset, logEndOffset);
                }
                return Read(startOffset, maxBytes, maxOffset, minOneBatch);
            }
        }
        return new LogReadResult
        {
            Records = region,
            LogEndOffset = logEndOffset,
            HighWatermark = highWatermark,
            LogStartOffset = logStartOffset,
        };
    }
}
