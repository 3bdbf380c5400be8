using System.Buffers;
using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;
using Freshet.Storage.IO;
using Freshet.Storage.Segments;

namespace Freshet.Storage.Cleaner;

/// <summary>What cleaning one segment did: whether a cleaned copy was written, and the earliest delete horizon left in it.</summary>
internal readonly record struct SegmentCleanResult(bool Changed, long EarliestHorizon, long BytesRead, long BytesWritten);

/// <summary>
/// Rewrites one inactive segment into <c>B.log.cleaned</c>, keeping per key only records at or after the offset
/// the map holds for it. Kept batches keep their base offset, offset deltas (lastOffsetDelta too), producer id,
/// epoch and base sequence, leader epoch, timestamp type and codec; a batch that loses nothing is copied byte for
/// byte. Tombstones are kept until the batch's delete horizon (KIP-534: attribute bit 6, baseTimestamp holds
/// the horizon), which the first clean sets to now + delete.retention.ms; batches left empty are dropped.
/// Transactional batches and markers are copied unchanged and their keys shadow nothing: aborted records stay
/// hidden behind the segment's <c>.txnindex</c> (which keeps its offsets), committed ones stay readable, and no
/// marker a read_committed reader depends on is removed.
/// </summary>
internal static class SegmentCleaner
{
    public static string CleanedPath(LogSegment segment) => segment.LogPath + LogFileNames.CleanedSuffix;

    public static SegmentCleanResult Clean(LogSegment segment, OffsetMap map, long nowMs, long deleteRetentionMs)
    {
        var earliestHorizon = long.MaxValue;
        var changed = false;
        var limit = segment.Size;
        using var output = new PooledBufferWriter(Math.Max(4096, limit));
        using var cursor = new SegmentBatchCursor(segment);
        while (cursor.TryNext(out var batch, out var header))
        {
            if (header.IsControl || header.IsTransactional)
            {
                output.Write(batch.Span);
                continue;
            }
            changed |= CleanBatch(batch, header, map, nowMs, deleteRetentionMs, output, ref earliestHorizon);
        }
        var position = cursor.BytesRead;
        if (changed)
        {
            using var file = new FileStream(CleanedPath(segment), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            file.Write(output.WrittenSpan);
            file.Flush(flushToDisk: true);
        }
        return new SegmentCleanResult(changed, earliestHorizon, position, changed ? output.WrittenCount : position);
    }

    /// <summary>Writes what survives of one batch; true when that differs from the batch as stored.</summary>
    private static bool CleanBatch(
        ReadOnlyMemory<byte> batch, in RecordBatchHeader header, OffsetMap map, long nowMs, long deleteRetentionMs, PooledBufferWriter output, ref long earliestHorizon)
    {
        var records = RecordBatchReader.ReadRecords(batch);
        var kept = new List<Record>(records.Length);
        var hasTombstone = false;
        foreach (var record in records)
        {
            if (record.Key is { } key && map.Get(key.Span) > record.Offset)
            {
                continue;
            }
            if (record.Value is null)
            {
                if (header.HasDeleteHorizon && header.BaseTimestamp <= nowMs)
                {
                    continue;
                }
                hasTombstone = true;
            }
            kept.Add(record);
        }
        long? horizon = header.HasDeleteHorizon ? header.BaseTimestamp : hasTombstone ? SaturatingAdd(nowMs, deleteRetentionMs) : null;
        if (hasTombstone)
        {
            earliestHorizon = Math.Min(earliestHorizon, horizon!.Value);
        }
        if (kept.Count == records.Length && (header.HasDeleteHorizon || !hasTombstone))
        {
            output.Write(batch.Span);
            return false;
        }
        if (kept.Count == 0)
        {
            return true;
        }
        RecordBatchBuilder.Build(output, kept.ToArray(), new RecordBatchOptions
        {
            BaseOffset = header.BaseOffset,
            PartitionLeaderEpoch = header.PartitionLeaderEpoch,
            Compression = header.Compression,
            TimestampType = header.TimestampType,
            ProducerId = header.ProducerId,
            ProducerEpoch = header.ProducerEpoch,
            BaseSequence = header.BaseSequence,
            IsTransactional = header.IsTransactional,
            LastOffsetDelta = header.LastOffsetDelta,
            DeleteHorizonMs = hasTombstone ? horizon : null,
        });
        return true;
    }

    private static long SaturatingAdd(long a, long b) => b > long.MaxValue - a ? long.MaxValue : a + b;
}
