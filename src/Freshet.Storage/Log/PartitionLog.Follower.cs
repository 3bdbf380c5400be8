using Freshet.Protocol.Records;
using Freshet.Storage.Segments;

namespace Freshet.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// A follower's append of batches fetched from its leader. Their base offsets and leader epochs are the leader's
    /// and the bytes are stored unchanged; each batch's CRC is checked. The first batch must not start below the log
    /// end offset; it may start above it where the leader's cleaner removed whole batches, as Kafka allows. The
    /// producer state takes the batches without checks (<see cref="AppendOrigin.Replication"/>), markers update the
    /// transaction index and the last stable offset as on the leader, and each batch's epoch goes to the epoch
    /// cache. The batches are spread over as many segments as segment.bytes needs; max.message.bytes does not apply
    /// (the leader accepted them, perhaps under another setting).
    /// </summary>
    /// <exception cref="CorruptRecordException">A batch does not frame, fails its CRC, or offsets do not increase.</exception>
    /// <exception cref="RecordBatchTooLargeException">A batch is larger than segment.bytes.</exception>
    /// <exception cref="UnexpectedAppendOffsetException">The first batch starts below the log end offset.</exception>
    /// <exception cref="KafkaStorageException">The log dir is offline, or goes offline with this append.</exception>
    public LogAppendInfo AppendAsFollower(Span<byte> batches)
    {
        var config = Config;
        var maxTimestamp = ValidateFollowerBatches(batches, config);
        var health = Health;
        health.ThrowIfOffline(TopicPartition);
        try
        {
            return AppendAsFollowerValidated(batches, config, maxTimestamp);
        }
        catch (IOException e)
        {
            throw health.Fail(TopicPartition, "append", e);
        }
    }

    private LogAppendInfo AppendAsFollowerValidated(ReadOnlySpan<byte> batches, LogConfig config, long maxTimestamp)
    {
        List<(LogSegment Rolled, long SnapshotOffset, byte[] Snapshot)>? rolls = null;
        LogAppendInfo info;
        lock (_appendLock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var firstOffset = RecordBatchHeader.Read(batches).BaseOffset;
            if (firstOffset < _logEndOffset)
            {
                throw new UnexpectedAppendOffsetException(TopicPartition, firstOffset, _logEndOffset);
            }
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var position = 0;
            while (position < batches.Length)
            {
                var first = RecordBatchHeader.Read(batches[position..]);
                var active = _segments[^1];
                if (RollReason(active, first.TotalSize, first.LastOffset, now, config) is { } reason)
                {
                    var rolled = active;
                    active = Roll(reason, config, first.BaseOffset);
                    (rolls ??= []).Add((rolled, active.BaseOffset, Producers.ProducerSnapshot.Write(_producers)));
                }
                var chunk = batches[position..FittingEnd(batches, position, active, config)];
                Health.InjectFault("append");
                active.Append(chunk, now);
                ApplyProducers(chunk, active);
                AssignBatchEpochs(chunk);
                var last = LastBatchHeader(chunk);
                Volatile.Write(ref _logEndOffset, last.NextOffset);
                position += chunk.Length;
            }
            info = new LogAppendInfo(firstOffset, _logEndOffset - 1, maxTimestamp, -1, batches.Length);
        }
        foreach (var (rolled, snapshotOffset, snapshot) in rolls ?? [])
        {
            CompleteRoll(rolled, snapshotOffset, snapshot);
        }
        if (LogEndOffset - RecoveryPoint >= config.FlushIntervalMessages)
        {
            FlushCovering(info.LastOffset + 1);
        }
        return info;
    }

    /// <summary>
    /// Where the run of batches from <paramref name="position"/> that goes into <paramref name="active"/> ends: the
    /// first batch always (the caller rolled if it did not fit), then as many as keep the segment within
    /// segment.bytes and its relative offsets within an int.
    /// </summary>
    private static int FittingEnd(ReadOnlySpan<byte> batches, int position, LogSegment active, LogConfig config)
    {
        var size = (long)active.Size;
        var end = position;
        while (end < batches.Length)
        {
            var header = RecordBatchHeader.Read(batches[end..]);
            if (end > position && (size + header.TotalSize > config.SegmentBytes || header.LastOffset - active.BaseOffset > int.MaxValue))
            {
                break;
            }
            size += header.TotalSize;
            end += header.TotalSize;
        }
        return end;
    }

    private static RecordBatchHeader LastBatchHeader(ReadOnlySpan<byte> batches)
    {
        var position = 0;
        while (true)
        {
            var header = RecordBatchHeader.Read(batches[position..]);
            position += header.TotalSize;
            if (position >= batches.Length)
            {
                return header;
            }
        }
    }

    /// <summary>
    /// Each batch frames, fits a segment, passes its CRC-32C and starts after the one before it. Returns the
    /// largest max timestamp.
    /// </summary>
    private static long ValidateFollowerBatches(ReadOnlySpan<byte> batches, LogConfig config)
    {
        if (batches.IsEmpty)
        {
            throw new CorruptRecordException("An append needs at least one batch.");
        }
        var maxTimestamp = -1L;
        var previousLast = -1L;
        var position = 0;
        while (position < batches.Length)
        {
            var header = ReadFramedHeader(batches, position);
            if (header.TotalSize > config.SegmentBytes)
            {
                throw new RecordBatchTooLargeException($"Batch of {header.TotalSize} bytes does not fit a segment of {config.SegmentBytes} bytes.");
            }
            if (RecordBatchHeader.ComputeCrc(batches.Slice(position, header.TotalSize)) != header.Crc)
            {
                throw new CorruptRecordException($"Batch at {position} (offset {header.BaseOffset}) fails its CRC.");
            }
            if (header.BaseOffset <= previousLast || header.BaseOffset < 0)
            {
                throw new CorruptRecordException($"Batch at {position} starts at offset {header.BaseOffset}, not after {previousLast}.");
            }
            maxTimestamp = Math.Max(maxTimestamp, header.MaxTimestamp);
            previousLast = header.LastOffset;
            position += header.TotalSize;
        }
        return maxTimestamp;
    }
}
