namespace Freshet.Storage.Indexes;

/// <summary>
/// What the offset and time indexes share: fixed-size entries mirrored in memory for lock-free lookups, written to
/// the <see cref="IndexFile"/> lazily, a valid-prefix load, and truncation for recovery.
/// </summary>
internal abstract class SparseIndex<TEntry> : IDisposable
    where TEntry : struct
{
    private readonly IndexFile _file;
    private readonly object _writeLock = new();
    private int _written;

    protected SparseIndex(string path, long baseOffset, int entrySize, int maxIndexBytes)
    {
        _file = new IndexFile(path, entrySize, maxIndexBytes);
        BaseOffset = baseOffset;
    }

    public long BaseOffset { get; }

    public int Count => Entries.Count;

    public bool IsFull => Entries.Count >= _file.MaxEntries;

    protected IndexEntries<TEntry> Entries { get; } = new();

    protected int EntrySize => _file.EntrySize;

    public void Preallocate()
    {
        WritePending();
        _file.Resize(Entries.Count, preallocate: true);
    }

    public void TrimToSize()
    {
        WritePending();
        _file.Resize(Entries.Count, preallocate: false);
    }

    public void Flush()
    {
        WritePending();
        _file.Flush();
    }

    /// <summary>Writes the entries not yet in the file; no descriptor stays open between operations.</summary>
    public void Dispose() => WritePending();

    /// <inheritdoc cref="IndexFile.Renamed"/>
    public void Renamed(string path) => _file.Renamed(path);

    /// <inheritdoc cref="IndexFile.Detach"/>
    public void Detach() => _file.Detach();

    /// <summary>Drops entries at or after <paramref name="offset"/> (recovery only).</summary>
    public void TruncateFrom(long offset, bool preallocate)
    {
        lock (_writeLock)
        {
            var entries = Entries.Snapshot();
            var keep = 0;
            while (keep < entries.Length && BaseOffset + RelativeOffsetOf(entries[keep]) < offset)
            {
                keep++;
            }
            Entries.Truncate(keep);
            _written = Math.Min(_written, keep);
            _file.Resize(keep, preallocate);
        }
    }

    protected abstract int RelativeOffsetOf(TEntry entry);

    protected abstract TEntry Decode(ReadOnlySpan<byte> bytes);

    protected abstract void Encode(TEntry entry, Span<byte> bytes);

    /// <summary>Whether <paramref name="entry"/> may follow <paramref name="previous"/> (null for the first entry).</summary>
    protected abstract bool IsValidAfter(TEntry? previous, TEntry entry);

    /// <summary>
    /// Loads the longest valid prefix of the file; false when anything after it is not preallocated zeros (an
    /// all-zero entry is preallocated space, never an entry).
    /// </summary>
    protected bool LoadValidPrefix()
    {
        var bytes = _file.ReadAll();
        var isValid = bytes.Length % EntrySize == 0;
        TEntry? previous = null;
        var position = 0;
        for (; position + EntrySize <= bytes.Length; position += EntrySize)
        {
            var raw = bytes.AsSpan(position, EntrySize);
            if (raw.IndexOfAnyExcept((byte)0) < 0)
            {
                break;
            }
            var entry = Decode(raw);
            if (!IsValidAfter(previous, entry))
            {
                isValid = false;
                break;
            }
            Entries.Add(entry);
            previous = entry;
        }
        _written = Entries.Count;
        return isValid && bytes.AsSpan(position).IndexOfAnyExcept((byte)0) < 0;
    }

    /// <summary>
    /// Writes the entries appended since the last write in one pwrite. Entries reach the file lazily (on flush,
    /// roll and close) because only flushed data is trusted after a crash, and recovery rebuilds the index entries
    /// of everything above the recovery point anyway; the in-memory entries are what lookups use.
    /// </summary>
    private void WritePending()
    {
        lock (_writeLock)
        {
            var entries = Entries.Snapshot();
            if (_written >= entries.Length)
            {
                return;
            }
            var bytes = new byte[(entries.Length - _written) * EntrySize];
            for (var i = _written; i < entries.Length; i++)
            {
                Encode(entries[i], bytes.AsSpan((i - _written) * EntrySize, EntrySize));
            }
            _file.WriteEntries(_written, bytes);
            _written = entries.Length;
        }
    }
}
