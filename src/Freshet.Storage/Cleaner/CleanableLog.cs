using Freshet.Storage.Segments;

namespace Freshet.Storage.Cleaner;

/// <summary>
/// One compacted log as the cleaner sees it: segments [0, <see cref="DirtyStart"/>) are clean, segments
/// [<see cref="DirtyStart"/>, <see cref="UncleanableStart"/>) are dirty and may be cleaned, the rest (the active
/// segment, and segments with records younger than min.compaction.lag.ms) are left alone.
/// </summary>
internal sealed record CleanableLog(PartitionLog Log, LogSegment[] Segments, int DirtyStart, int UncleanableStart, long DirtyBytes, double DirtyRatio, bool Forced)
{
    /// <summary>The log's truncation count when <see cref="Segments"/> was taken; a truncation since voids the clean.</summary>
    public long Truncations { get; init; }

    public static CleanableLog? Inspect(PartitionLog log, long? checkpoint, long nowMs, long tombstoneHorizon)
    {
        var config = log.Config;
        // Read before the segments: a truncation that finishes after this read changes the count the clean is checked against.
        var truncations = log.Truncations;
        var segments = (LogSegment[])log.Segments;
        if (!config.IsCompacted || segments.Length < 2)
        {
            return null;
        }
        var firstDirty = Math.Max(checkpoint ?? 0, log.LogStartOffset);
        var dirtyStart = 0;
        while (dirtyStart + 1 < segments.Length - 1 && segments[dirtyStart + 1].BaseOffset <= firstDirty)
        {
            dirtyStart++;
        }
        if (segments[dirtyStart].NextOffset <= firstDirty && dirtyStart < segments.Length - 1)
        {
            dirtyStart++;
        }
        var uncleanable = segments.Length - 1;
        for (var i = dirtyStart; i < uncleanable; i++)
        {
            if (config.MinCompactionLagMs > 0 && segments[i].MaxTimestampAndOffset.Timestamp > nowMs - config.MinCompactionLagMs)
            {
                uncleanable = i;
                break;
            }
        }
        long cleanBytes = 0, dirtyBytes = 0;
        for (var i = 0; i < uncleanable; i++)
        {
            if (i < dirtyStart)
            {
                cleanBytes += segments[i].Size;
            }
            else
            {
                dirtyBytes += segments[i].Size;
            }
        }
        var ratio = cleanBytes + dirtyBytes == 0 ? 0 : (double)dirtyBytes / (cleanBytes + dirtyBytes);
        // max.compaction.lag.ms: the newest record of the oldest dirty segment bounds its oldest record's age.
        var overdue = dirtyBytes > 0 && config.MaxCompactionLagMs < long.MaxValue
            && segments[dirtyStart].MaxTimestampAndOffset.Timestamp is var oldest and >= 0
            && oldest < nowMs - config.MaxCompactionLagMs;
        var tombstonesDue = tombstoneHorizon <= nowMs && dirtyStart > 0;
        var eligible = (dirtyBytes > 0 && ratio >= config.MinCleanableDirtyRatio) || overdue || tombstonesDue;
        return eligible ? new CleanableLog(log, segments, dirtyStart, uncleanable, dirtyBytes, ratio, overdue || tombstonesDue) { Truncations = truncations } : null;
    }
}
