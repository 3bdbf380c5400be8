using System.Buffers.Binary;

namespace Freshet.Storage.Indexes;

/// <summary>
/// The sparse time index (.timeindex): an entry when the segment's max timestamp has grown, at the same
/// index.interval.bytes points as the offset index, plus a final entry when the segment becomes inactive.
/// <code>
/// entry (12 bytes, big-endian):
///   0 timestamp      int64   the segment's max timestamp so far
///   8 relativeOffset int32   base offset of the batch that carries it - segment base offset
/// </code>
/// Timestamps increase strictly, offsets never decrease; an all-zero entry is preallocated space.
/// </summary>
internal sealed class TimeIndex : IDisposable
{
    public const int EntrySize = 12;

    private readonly IndexFile _file;
    private readonly object _writeLock = new();
    private int _written;
    private readonly IndexEntries<TimestampRelativeOffset> _entries = new();

    private TimeIndex(IndexFile file, long baseOffset)
    {
        _file = file;
        BaseOffset = baseOffset;
    }

    public long BaseOffset { get; }

    public int Count => _entries.Count;

    public bool IsFull => _entries.Count >= _file.MaxEntries;

    public TimestampOffset? LastEntry =>
        _entries.Count == 0 ? null : new TimestampOffset(_entries.Last.Timestamp, BaseOffset + _entries.Last.RelativeOffset);

    /// <summary>Opens the file and keeps its longest valid prefix; see <see cref="OffsetIndex.Open"/>.</summary>
    public static TimeIndex Open(string path, long baseOffset, int maxIndexBytes, long nextOffset, out bool isValid)
    {
        var index = new TimeIndex(new IndexFile(path, EntrySize, maxIndexBytes), baseOffset);
        var bytes = index._file.ReadAll();
        var lastTimestamp = long.MinValue;
        var lastRelative = 0;
        var offset = 0;
        isValid = bytes.Length % EntrySize == 0;
        for (; offset + EntrySize <= bytes.Length; offset += EntrySize)
        {
            var timestamp = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(offset));
            var relative = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset + 8));
            if (timestamp == 0 && relative == 0)
            {
                break;
            }
            if (timestamp <= lastTimestamp || relative < lastRelative || baseOffset + relative >= nextOffset)
            {
                isValid = false;
                break;
            }
            index._entries.Add(new TimestampRelativeOffset(timestamp, relative));
            lastTimestamp = timestamp;
            lastRelative = relative;
        }
        index._written = index._entries.Count;
        if (bytes.AsSpan(offset).IndexOfAnyExcept((byte)0) >= 0)
        {
            isValid = false;
        }
        return index;
    }

    /// <summary>Appends when <paramref name="timestamp"/> is above the last entry's.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        if (_entries.Count > 0 && timestamp <= _entries.Last.Timestamp)
        {
            return;
        }
        var entry = new TimestampRelativeOffset(timestamp, checked((int)(offset - BaseOffset)));
        _entries.Add(entry);
    }

    /// <summary>
    /// Where a search for the first batch with max timestamp ≥ <paramref name="timestamp"/> starts: the offset of
    /// the greatest entry strictly below it (every batch up to that offset is below the target), or the segment start.
    /// </summary>
    public long Lookup(long timestamp)
    {
        var entries = _entries.Snapshot();
        int lo = 0, hi = entries.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (entries[mid].Timestamp < timestamp)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found < 0 ? BaseOffset : BaseOffset + entries[found].RelativeOffset;
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
                BinaryPrimitives.WriteInt64BigEndian(span, entries[i].Timestamp);
                BinaryPrimitives.WriteInt32BigEndian(span[8..], entries[i].RelativeOffset);
            }
            _file.WriteEntries(_written, bytes);
            _written = entries.Length;
        }
    }
}

internal readonly record struct TimestampRelativeOffset(long Timestamp, int RelativeOffset);
