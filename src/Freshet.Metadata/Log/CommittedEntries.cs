namespace Freshet.Metadata.Log;

/// <summary>
/// The most recent committed metadata log entries (their encoded records, by offset), kept so that observers can
/// fetch the log without reading the write-ahead log's files. Entries are contiguous; the oldest are dropped past
/// <see cref="Capacity"/>, and an observer further behind than that gets the image as a snapshot instead.
/// </summary>
public sealed class CommittedEntries(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Queue<CommittedEntry> _entries = new();
    private long _startOffset;

    public int Capacity => capacity;

    /// <summary>The offset of the oldest retained entry; fetches below it need a snapshot.</summary>
    public long StartOffset
    {
        get
        {
            lock (_lock)
                return _startOffset;
        }
    }

    /// <summary>Adds the entry applied at <paramref name="offset"/>; a gap restarts the window there.</summary>
    public void Add(long offset, ReadOnlyMemory<byte> payload)
    {
        lock (_lock)
        {
            if (_entries.Count == 0 || offset != _startOffset + _entries.Count)
            {
                _entries.Clear();
                _startOffset = offset;
            }
            _entries.Enqueue(new CommittedEntry(offset, payload));
            if (_entries.Count > capacity)
            {
                _entries.Dequeue();
                _startOffset++;
            }
        }
    }

    /// <summary>Forgets every entry: the image jumped (a snapshot was installed), and entries now start after it.</summary>
    public void Reset(long nextOffset)
    {
        lock (_lock)
        {
            _entries.Clear();
            _startOffset = nextOffset;
        }
    }

    /// <summary>
    /// The entries from <paramref name="fromOffset"/> on, at least one and then up to <paramref name="maxBytes"/> of
    /// payload; empty when none is committed yet. False when <paramref name="fromOffset"/> is older than the window.
    /// </summary>
    public bool TryRead(long fromOffset, int maxBytes, out List<CommittedEntry> entries)
    {
        entries = [];
        lock (_lock)
        {
            if (fromOffset < _startOffset)
                return false;
            var bytes = 0;
            foreach (var entry in _entries)
            {
                if (entry.Offset < fromOffset)
                    continue;
                if (entries.Count > 0 && bytes + entry.Payload.Length > maxBytes)
                    break;
                entries.Add(entry);
                bytes += entry.Payload.Length;
            }
            return true;
        }
    }
}

/// <summary>One committed metadata log entry: the records it holds, encoded as a <see cref="Records.MetadataBatch"/>.</summary>
public readonly record struct CommittedEntry(long Offset, ReadOnlyMemory<byte> Payload);
