using System.Buffers;
using Freshet.Storage.Producers;
using Freshet.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace Freshet.Storage.Recovery;

/// <summary>
/// Rebuilds a partition's producer state at start-up (Kafka's loadProducerState): the latest readable snapshot at
/// or below the log end offset, then the batches after it replayed from their headers (control batches are read
/// whole, for their marker). Snapshots above the log end (a crash truncated the log below them) are removed; the
/// <c>.txnindex</c> entries from the replay's start on are dropped and rebuilt by the replay, so an unclean
/// shutdown cannot leave an index that disagrees with the log.
/// </summary>
internal static class ProducerStateLoader
{
    public static ProducerStateManager Load(string partitionDir, IReadOnlyList<LogSegment> segments, long logEndOffset, ILogger logger)
    {
        ProducerSnapshotFiles.DeleteAbove(partitionDir, logEndOffset);
        var offsets = ProducerSnapshotFiles.List(partitionDir);
        ProducerStateManager? state = null;
        var replayFrom = segments[0].BaseOffset;
        for (var i = offsets.Count - 1; i >= 0 && state is null; i--)
        {
            var path = ProducerSnapshotFiles.PathFor(partitionDir, offsets[i]);
            try
            {
                state = ProducerSnapshot.Read(File.ReadAllBytes(path));
                replayFrom = Math.Max(replayFrom, offsets[i]);
            }
            catch (InvalidDataException e)
            {
                StorageLog.UnreadableSnapshot(logger, path, e.Message);
                File.Delete(path);
            }
        }
        state ??= new ProducerStateManager();
        ProducerSnapshotFiles.DeleteStray(partitionDir, [.. segments.Select(segment => segment.BaseOffset)]);
        var replayed = Replay(state, segments, replayFrom);
        StorageLog.LoadedProducerState(logger, partitionDir, state.Count, replayFrom, replayed);
        return state;
    }

    private static int Replay(ProducerStateManager state, IReadOnlyList<LogSegment> segments, long from)
    {
        var replayed = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            foreach (var segment in segments)
            {
                if (segment.NextOffset <= from && segment != segments[^1])
                {
                    continue;
                }
                segment.TxnIndex.TruncateFrom(from);
                foreach (var (header, position) in segment.BatchesFrom(from))
                {
                    if (header.ProducerId < 0 || header.LastOffset < from)
                    {
                        continue;
                    }
                    var batch = ReadOnlySpan<byte>.Empty;
                    if (header.IsControl)
                    {
                        if (buffer.Length < header.TotalSize)
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = ArrayPool<byte>.Shared.Rent(header.TotalSize);
                        }
                        if (!segment.TryReadBatch(position, buffer.AsSpan(0, header.TotalSize)))
                        {
                            break;
                        }
                        batch = buffer.AsSpan(0, header.TotalSize);
                    }
                    if (state.Apply(header, batch) is { IsAborted: true } aborted)
                    {
                        segment.TxnIndex.Append(new AbortedTxn(aborted.ProducerId, aborted.FirstOffset, aborted.LastOffset, state.LastStableOffsetAfter(aborted)));
                    }
                    replayed++;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return replayed;
    }
}
