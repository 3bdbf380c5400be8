using Freshet.Protocol.Records;
using Freshet.Storage.Segments;

namespace Freshet.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Appends one or more contiguous magic-2 batches. Offsets are assigned in place by rewriting baseOffset and
    /// partitionLeaderEpoch, which lie outside the CRC; with LogAppendTime the max timestamp and the timestamp-type
    /// attribute are rewritten too, and so is the CRC. Rolls first when the batches do not fit the active segment.
    /// </summary>
    /// <exception cref="KafkaStorageException">The log dir is offline, or goes offline with this append.</exception>
    public LogAppendInfo Append(Span<byte> batches, int leaderEpoch) => Append(batches, leaderEpoch, AppendOrigin.Client);

    /// <summary>
    /// Appends as <see cref="Append(Span{byte}, int)"/> after checking batches with a producer id against the
    /// producer state, under the append lock. A retry of one of the producer's last five batches is not written
    /// again: the result carries the original offsets and <see cref="LogAppendInfo.IsDuplicate"/>.
    /// </summary>
    /// <exception cref="Producers.ProducerStateException">The producer state refuses a batch; nothing was written.</exception>
    /// <exception cref="KafkaStorageException">The log dir is offline, or goes offline with this append.</exception>
    public LogAppendInfo Append(Span<byte> batches, int leaderEpoch, AppendOrigin origin)
    {
        var config = Config;
        ValidateFraming(batches, config);
        var health = Health;
        health.ThrowIfOffline(TopicPartition);
        try
        {
            return AppendValidated(batches, leaderEpoch, config, origin);
        }
        catch (IOException e)
        {
            throw health.Fail(TopicPartition, "append", e);
        }
    }

    private LogAppendInfo AppendValidated(Span<byte> batches, int leaderEpoch, LogConfig config, AppendOrigin origin)
    {
        LogSegment? rolled = null;
        byte[]? rollSnapshot = null;
        LogAppendInfo info;
        lock (_appendLock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (CheckProducers(batches, origin, out var duplicate))
            {
                return new LogAppendInfo(duplicate.FirstOffset, duplicate.LastOffset, duplicate.Timestamp, -1, 0, IsDuplicate: true);
            }
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var firstOffset = _logEndOffset;
            var (lastOffset, maxTimestamp) = AssignOffsets(batches, firstOffset, leaderEpoch, config.LogAppendTime ? now : -1);
            var active = _segments[^1];
            if (RollReason(active, batches.Length, lastOffset, now, config) is { } reason)
            {
                rolled = active;
                active = Roll(reason, config);
                rollSnapshot = Producers.ProducerSnapshot.Write(_producers);
            }
            Health.InjectFault("append");
            Health.InjectWriteStall();
            active.Append(batches, now);
            ApplyProducers(batches, active);
            if (leaderEpoch > _epochs.LatestEpoch)
            {
                _epochs.Assign(leaderEpoch, firstOffset);
            }
            Volatile.Write(ref _logEndOffset, lastOffset + 1);
            info = new LogAppendInfo(firstOffset, lastOffset, maxTimestamp, config.LogAppendTime ? now : -1, batches.Length);
        }
        if (rolled is not null)
        {
            CompleteRoll(rolled, rolled.NextOffset, rollSnapshot!);
        }
        // flush.messages: with 1, the append is durable before the caller acknowledges it.
        if (LogEndOffset - RecoveryPoint >= config.FlushIntervalMessages)
        {
            FlushCovering(info.LastOffset + 1);
        }
        return info;
    }

    /// <summary>Each batch frames (size within the buffer, magic 2) and fits max.message.bytes and a segment.</summary>
    private static void ValidateFraming(ReadOnlySpan<byte> batches, LogConfig config)
    {
        if (batches.IsEmpty)
        {
            throw new CorruptRecordException("An append needs at least one batch.");
        }
        if (batches.Length > config.SegmentBytes)
        {
            throw new RecordBatchTooLargeException($"{batches.Length} bytes do not fit a segment of {config.SegmentBytes} bytes.");
        }
        var position = 0;
        while (position < batches.Length)
        {
            var header = ReadFramedHeader(batches, position);
            if (header.TotalSize > config.MaxMessageBytes)
            {
                throw new RecordBatchTooLargeException($"Batch of {header.TotalSize} bytes exceeds max.message.bytes {config.MaxMessageBytes}.");
            }
            position += header.TotalSize;
        }
    }

    /// <summary>The header of the batch at <paramref name="position"/>, which must frame: magic 2, a length that fits the buffer.</summary>
    private static RecordBatchHeader ReadFramedHeader(ReadOnlySpan<byte> batches, int position)
    {
        var remaining = batches[position..];
        if (remaining.Length < RecordBatchHeader.Size)
        {
            throw new CorruptRecordException($"{remaining.Length} trailing bytes at {position} are shorter than a batch header.");
        }
        var header = RecordBatchHeader.Read(remaining);
        if (header.Magic != RecordBatchHeader.CurrentMagic)
        {
            throw new CorruptRecordException($"Batch at {position} has magic {header.Magic}; only magic 2 is stored.");
        }
        if (header.BatchLength < BatchHeaders.MinBatchLength || header.TotalSize > remaining.Length || header.LastOffsetDelta < 0)
        {
            throw new CorruptRecordException($"Batch at {position} has length {header.BatchLength} and last offset delta {header.LastOffsetDelta}, which do not frame.");
        }
        return header;
    }

    /// <summary>Rewrites each batch's base offset and leader epoch (and with LogAppendTime its timestamp and CRC).</summary>
    private static (long LastOffset, long MaxTimestamp) AssignOffsets(Span<byte> batches, long firstOffset, int leaderEpoch, long logAppendTime)
    {
        var next = firstOffset;
        var maxTimestamp = -1L;
        var position = 0;
        while (position < batches.Length)
        {
            var batch = batches[position..];
            var header = RecordBatchHeader.Read(batch);
            batch = batch[..header.TotalSize];
            var batchMax = logAppendTime >= 0 ? logAppendTime : header.MaxTimestamp;
            RecordBatchRewriter.AssignOffsets(batch, next, leaderEpoch, logAppendTime >= 0 ? logAppendTime : null);
            maxTimestamp = Math.Max(maxTimestamp, batchMax);
            next += header.LastOffsetDelta + 1L;
            position += header.TotalSize;
        }
        return (next - 1, maxTimestamp);
    }

    private static string? RollReason(LogSegment active, int bytes, long lastOffset, long now, LogConfig config)
    {
        if (active.Size == 0)
        {
            return null;
        }
        if ((long)active.Size + bytes > config.SegmentBytes)
        {
            return "segment.bytes";
        }
        if (now - active.RollingBaseMs > active.RollAgeMs(config))
        {
            return "segment.ms";
        }
        if (active.IndexIsFull)
        {
            return "index full";
        }
        if (lastOffset - active.BaseOffset > int.MaxValue)
        {
            return "relative offset overflow";
        }
        return null;
    }

    /// <summary>
    /// Starts a new active segment at <paramref name="baseOffset"/> (the log end offset unless a follower's batch
    /// starts past it); the caller completes the roll outside the lock (<see cref="CompleteRoll"/>).
    /// </summary>
    private LogSegment Roll(string reason, LogConfig config, long? baseOffset = null)
    {
        var old = _segments[^1];
        old.BecomeInactive();
        var segment = LogSegment.Create(Directory, baseOffset ?? _logEndOffset, config, _logger);
        Volatile.Write(ref _segments, [.. _segments, segment]);
        StorageLog.Rolled(_logger, TopicPartition, segment.BaseOffset, reason);
        return segment;
    }

    /// <summary>
    /// After a roll, outside the append lock: the rolled segment is fsynced, then the producer state at the new
    /// segment's base is written, so the snapshot follows the data it sums up to disk, as recovery trusts it.
    /// </summary>
    private void CompleteRoll(LogSegment rolled, long snapshotOffset, byte[] snapshot)
    {
        FlushTo(rolled.NextOffset);
        Producers.ProducerSnapshotFiles.Write(Directory, snapshotOffset, snapshot);
    }
}
