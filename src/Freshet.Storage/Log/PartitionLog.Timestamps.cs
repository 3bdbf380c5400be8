namespace Freshet.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// The first batch whose max timestamp is at least <paramref name="timestamp"/>: that max timestamp and the
    /// batch's base offset. Kafka answers with the first record whose timestamp reaches the target; without
    /// decoding records the batch is as close as the log gets, and a consumer starting at its base offset sees
    /// that record. Null when no batch reaches the target.
    /// </summary>
    public TimestampOffset? FindOffsetByTimestamp(long timestamp) => Guard("timestamp lookup", () => FindOffsetByTimestampCore(timestamp));

    private TimestampOffset? FindOffsetByTimestampCore(long timestamp)
    {
        foreach (var segment in Volatile.Read(ref _segments))
        {
            if (segment.MaxTimestampAndOffset.Timestamp < timestamp)
            {
                continue;
            }
            TimestampOffset? found;
            try
            {
                found = segment.FindByTimestamp(timestamp);
            }
            catch (ObjectDisposedException) when (segment.IsMarkedDeleted)
            {
                // Deleted by retention while this lookup ran: its records are gone, the next segment answers.
                continue;
            }
            if (found is { } hit)
            {
                return hit with { Offset = Math.Max(hit.Offset, LogStartOffset) };
            }
        }
        return null;
    }

    /// <summary>
    /// ListOffsets -3 (max timestamp): the largest batch max timestamp and the base offset of that batch; null when
    /// the log has no batch with a timestamp.
    /// </summary>
    public TimestampOffset? LatestTimestamp() => Guard("timestamp lookup", LatestTimestampCore);

    private TimestampOffset? LatestTimestampCore()
    {
        TimestampOffset? latest = null;
        foreach (var segment in Volatile.Read(ref _segments))
        {
            var max = segment.MaxTimestampAndOffset;
            if (max.Timestamp >= 0 && (latest is null || max.Timestamp > latest.Value.Timestamp))
            {
                latest = max;
            }
        }
        return latest;
    }
}
