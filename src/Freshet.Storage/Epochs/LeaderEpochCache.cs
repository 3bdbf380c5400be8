namespace Freshet.Storage.Epochs;

/// <summary>
/// A partition's leader epochs and the first offset written in each (Kafka's LeaderEpochFileCache), kept in its
/// <c>leader-epoch-checkpoint</c>. Entries increase strictly in both epoch and start offset. A follower uses them to
/// find where its log diverges from a new leader's (OffsetsForLeaderEpoch, a fetch's diverging epoch). Changes come
/// under the log's append lock and are written through at once; they are rare (a new epoch, a truncation). Readers
/// take the published array without a lock.
/// </summary>
public sealed class LeaderEpochCache
{
    /// <summary>Kafka's UNDEFINED_EPOCH: no epoch answers the request.</summary>
    public const int UndefinedEpoch = -1;

    /// <summary>Kafka's UNDEFINED_EPOCH_OFFSET.</summary>
    public const long UndefinedEpochOffset = -1;

    private readonly object _lock = new();
    private readonly string _path;
    private EpochEntry[] _entries;
    private bool _unpersisted;

    internal LeaderEpochCache(string path, EpochEntry[] entries)
    {
        _path = path;
        _entries = entries;
    }

    public IReadOnlyList<EpochEntry> Entries => Volatile.Read(ref _entries);

    /// <summary>The newest epoch, or <see cref="UndefinedEpoch"/> when there is none.</summary>
    public int LatestEpoch
    {
        get
        {
            var entries = Volatile.Read(ref _entries);
            return entries.Length == 0 ? UndefinedEpoch : entries[^1].Epoch;
        }
    }

    /// <summary>
    /// Records that <paramref name="epoch"/> starts at <paramref name="startOffset"/>, as Kafka does: nothing changes
    /// when the epoch is the latest one and the offset is not below its start. Otherwise the entries the new one would
    /// break the order of (an epoch at or above it, or a start at or above its start) are dropped from the end
    /// first, so the cache follows the data whose batches carry the epochs. True when the cache changed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative epoch or offset.</exception>
    public bool Assign(int epoch, long startOffset) => Assign(epoch, startOffset, persist: true);

    internal bool Assign(int epoch, long startOffset, bool persist)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(startOffset);
        if (!IsUpdateNeeded(Volatile.Read(ref _entries), epoch, startOffset))
        {
            return false;
        }
        lock (_lock)
        {
            var entries = _entries;
            if (!IsUpdateNeeded(entries, epoch, startOffset))
            {
                return false;
            }
            var keep = entries.Length;
            while (keep > 0 && (entries[keep - 1].Epoch >= epoch || entries[keep - 1].StartOffset >= startOffset))
            {
                keep--;
            }
            Publish([.. entries.AsSpan(0, keep), new EpochEntry(epoch, startOffset)], persist);
            return true;
        }
    }

    /// <summary>
    /// OffsetsForLeaderEpoch as Kafka answers it: for the latest epoch, (that epoch, <paramref name="logEndOffset"/>);
    /// for an older one, the largest epoch at or below it and the start offset of the next higher epoch (where the
    /// requested epoch's data ends in this log); for one below every entry, the requested epoch and the first entry's
    /// start (the data before it is gone, so a follower replicates from there); for <see cref="UndefinedEpoch"/>,
    /// an epoch above every entry or an empty cache, (<see cref="UndefinedEpoch"/>, <see cref="UndefinedEpochOffset"/>).
    /// </summary>
    public (int Epoch, long EndOffset) EndOffsetFor(int requestedEpoch, long logEndOffset)
    {
        var entries = Volatile.Read(ref _entries);
        if (requestedEpoch == UndefinedEpoch || entries.Length == 0)
        {
            return (UndefinedEpoch, UndefinedEpochOffset);
        }
        if (entries[^1].Epoch == requestedEpoch)
        {
            return (requestedEpoch, logEndOffset);
        }
        var higher = 0;
        while (higher < entries.Length && entries[higher].Epoch <= requestedEpoch)
        {
            higher++;
        }
        if (higher == entries.Length)
        {
            return (UndefinedEpoch, UndefinedEpochOffset);
        }
        return higher == 0
            ? (requestedEpoch, entries[0].StartOffset)
            : (entries[higher - 1].Epoch, entries[higher].StartOffset);
    }

    /// <summary>Drops the entries that start at or after <paramref name="endOffset"/> (the log was truncated there). True when any went.</summary>
    public bool TruncateFromEnd(long endOffset) => TruncateFromEnd(endOffset, persist: true);

    internal bool TruncateFromEnd(long endOffset, bool persist)
    {
        lock (_lock)
        {
            var entries = _entries;
            var keep = entries.Length;
            while (keep > 0 && entries[keep - 1].StartOffset >= endOffset && endOffset >= 0)
            {
                keep--;
            }
            if (keep == entries.Length)
            {
                return false;
            }
            Publish(entries[..keep], persist);
            return true;
        }
    }

    /// <summary>
    /// The log now starts at <paramref name="startOffset"/>: the entries wholly before it go, and the one covering it
    /// stays with its start moved up to it. True when the cache changed.
    /// </summary>
    public bool TruncateFromStart(long startOffset)
    {
        lock (_lock)
        {
            var entries = _entries;
            var covering = -1;
            while (covering + 1 < entries.Length && entries[covering + 1].StartOffset <= startOffset)
            {
                covering++;
            }
            if (covering < 0 || (covering == 0 && entries[0].StartOffset == startOffset))
            {
                return false;
            }
            var kept = entries[covering..];
            kept[0] = kept[0] with { StartOffset = startOffset };
            Publish(kept, persist: true);
            return true;
        }
    }

    /// <summary>Forgets every entry (the log was emptied and restarted at another offset).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            Publish([], persist: true);
        }
    }

    /// <summary>
    /// Writes the entries when changes were made without persisting them (by recovery), or when
    /// <paramref name="force"/> (a rebuilt cache gets its file even when empty).
    /// </summary>
    internal void PersistIfChanged(bool force = false)
    {
        lock (_lock)
        {
            if (_unpersisted || force)
            {
                LeaderEpochCheckpointFile.Write(_path, _entries);
                _unpersisted = false;
            }
        }
    }

    private static bool IsUpdateNeeded(EpochEntry[] entries, int epoch, long startOffset) =>
        entries.Length == 0 || entries[^1].Epoch != epoch || startOffset < entries[^1].StartOffset;

    private void Publish(EpochEntry[] entries, bool persist)
    {
        Volatile.Write(ref _entries, entries);
        if (persist)
        {
            LeaderEpochCheckpointFile.Write(_path, entries);
            _unpersisted = false;
        }
        else
        {
            _unpersisted = true;
        }
    }
}
