using System.Buffers.Binary;

namespace Freshet.Storage.Indexes;

/// <summary>
/// The sparse offset index (.index): one entry per index.interval.bytes of log, for the batch that starts there.
/// <code>
/// entry (8 bytes, big-endian):
///   0 relativeOffset int32   batch base offset - segment base offset
///   4 position       int32   byte position of the batch in the .log
/// </code>
/// Entries increase strictly in both fields; an all-zero entry is preallocated space, never an entry (no batch
/// at position 0 is indexed). A lookup takes the greatest entry at or below the target and scans the log forward.
/// </summary>
internal sealed class OffsetIndex : IDisposable
{
    public const int EntrySize = 8;

    private readonly IndexFile _file;
    private readonly object _writeLock = new();
    private int _written;
    private readonly IndexEntries<OffsetPosition> _entries = new();

    private OffsetIndex(IndexFile file, long baseOffset)
    {
        _file = file;
        BaseOffset = baseOffset;
    }

    public long BaseOffset { get; }

    public int Count => _entries.Count;

    public bool IsFull => _entries.Count >= _file.MaxEntries;

    public OffsetPosition? LastEntry => _entries.Count == 0 ? null : _entries.Last;

    /// <summary>
    /// Opens the file and keeps its longest valid prefix: entries strictly increasing, positions inside the log.
    /// <paramref name="isValid"/> is false when anything after that prefix was not preallocated zeros.
    /// </summary>
    public static OffsetIndex Open(string path, long baseOffset, int maxIndexBytes, long logSize, out bool isValid)
    {
        var index = new OffsetIndex(new IndexFile(path, EntrySize, maxIndexBytes), baseOffset);
        var bytes = index._file.ReadAll();
        var lastRelative = -1;
        var lastPosition = 0;
        var offset = 0;
        isValid = bytes.Length % EntrySize == 0;
        for (; offset + EntrySize <= bytes.Length; offset += EntrySize)
        {
            var relative = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
            var position = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset + 4));
            if (relative == 0 && position == 0)
            {
                break;
            }
            if (relative <= lastRelative || position <= lastPosition || position >= logSize)
            {
                isValid = false;
                break;
            }
            index._entries.Add(new OffsetPosition(relative, position));
            lastRelative = relative;
            lastPosition = position;
        }
        index._written = index._entries.Count;
        if (bytes.AsSpan(offset).IndexOfAnyExcept((byte)0) >= 0)
        {
            isValid = false;
        }
        return index;
    }

    public void Append(long offset, int position)
    {
        var entry = new OffsetPosition(checked((int)(offset - BaseOffset)), position);
        _entries.Add(entry);
    }

    /// <summary>The greatest entry at or below <paramref name="offset"/>, or the segment start.</summary>
    public (long Offset, int Position) Lookup(long offset)
    {
        var entries = _entries.Snapshot();
        var relative = offset - BaseOffset;
        int lo = 0, hi = entries.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (entries[mid].RelativeOffset <= relative)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found < 0 ? (BaseOffset, 0) : (BaseOffset + entries[found].RelativeOffset, entries[found].Position);
    }

    /// <summary>Drops entries at or after <paramref name="offset"/> (recovery only).</summary>
    public void TruncateFrom(long offset, bool preallocate)
    {
        var entries = _entries.Snapshot();
        var keep = 0;
        while (keep < entries.Length && BaseOffset + entries[keep].RelativeOffset < offset)
        {
            keep++;
        }
        lock (_writeLock)
        {
            _entries.Truncate(keep);
            _written = Math.Min(_written, keep);
            _file.Resize(keep, preallocate);
        }
    }

    public void Preallocate()
    {
        WritePending();
        _file.Resize(_entries.Count, preallocate: true);
    }

    public void TrimToSize()
    {
        WritePending();
        _file.Resize(_entries.Count, preallocate: false);
    }

    public void Flush()
    {
        WritePending();
        _file.Flush();
    }

    public void Dispose()
    {
        WritePending();
        _file.Dispose();
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
            var entries = _entries.Snapshot();
            if (_written >= entries.Length)
            {
                return;
            }
            var bytes = new byte[(entries.Length - _written) * EntrySize];
            for (var i = _written; i < entries.Length; i++)
            {
                var span = bytes.AsSpan((i - _written) * EntrySize);
                BinaryPrimitives.WriteInt32BigEndian(span, entries[i].RelativeOffset);
                BinaryPrimitives.WriteInt32BigEndian(span[4..], entries[i].Position);
            }
            _file.WriteEntries(_written, bytes);
            _written = entries.Length;
        }
    }
}

internal readonly record struct OffsetPosition(int RelativeOffset, int Position);
