using System.Buffers.Binary;

namespace Freshet.Storage.Indexes;

/// <summary>
/// A segment's <c>.txnindex</c>: the transactions aborted by a marker in the segment, in marker order. Entries
/// are Kafka's, 34 bytes big-endian:
/// <code>
/// version int16 (0)   producerId int64   firstOffset int64   lastOffset int64   lastStableOffset int64
/// </code>
/// Aborts are rare, so the entries are mirrored in memory once read and the file is opened only to append, flush
/// or rewrite; a segment without aborts has no file. Like the other indexes it is rebuilt from the log by recovery.
/// </summary>
internal sealed class TransactionIndex(string path)
{
    public const int EntrySize = 34;
    private const short Version = 0;

    private readonly object _lock = new();
    private List<AbortedTxn>? _entries;
    private bool _dirty;

    public string Path { get; private set; } = path;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return Load().Count;
            }
        }
    }

    public void Append(AbortedTxn entry)
    {
        lock (_lock)
        {
            var entries = Load();
            if (entries.Count > 0 && entry.LastOffset < entries[^1].LastOffset)
            {
                throw new InvalidOperationException($"Aborted transaction ending at {entry.LastOffset} is older than the last indexed one ({entries[^1].LastOffset}).");
            }
            Span<byte> bytes = stackalloc byte[EntrySize];
            Encode(entry, bytes);
            using (var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                file.Write(bytes);
            }
            entries.Add(entry);
            _dirty = true;
        }
    }

    /// <summary>
    /// Adds the aborted transactions that overlap [<paramref name="fetchOffset"/>, <paramref name="upperBound"/>);
    /// true when an entry's last stable offset reaches <paramref name="upperBound"/>, so later segments cannot add any.
    /// </summary>
    public bool Collect(long fetchOffset, long upperBound, List<AbortedTxn> into)
    {
        lock (_lock)
        {
            foreach (var entry in Load())
            {
                if (entry.LastOffset >= fetchOffset && entry.FirstOffset < upperBound)
                {
                    into.Add(entry);
                }
                if (entry.LastStableOffset >= upperBound)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Drops the entries whose marker is at or after <paramref name="offset"/> (recovery re-adds them).</summary>
    public void TruncateFrom(long offset)
    {
        lock (_lock)
        {
            var entries = Load();
            var keep = entries.FindIndex(entry => entry.LastOffset >= offset);
            if (keep < 0 && (entries.Count > 0 || !File.Exists(Path)))
            {
                return;
            }
            if (keep >= 0)
            {
                entries.RemoveRange(keep, entries.Count - keep);
            }
            Rewrite(entries);
        }
    }

    public void Flush()
    {
        lock (_lock)
        {
            if (!_dirty || !File.Exists(Path))
            {
                return;
            }
            using (var file = File.OpenHandle(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
            {
                RandomAccess.FlushToDisk(file);
            }
            _dirty = false;
        }
    }

    /// <summary>Follows a rename of the file (the segment's <c>.deleted</c> suffix).</summary>
    public void Renamed(string path)
    {
        lock (_lock)
        {
            Path = path;
        }
    }

    /// <summary>The entries, read from the file on first use; a torn last entry (a crash mid-append) is cut off.</summary>
    private List<AbortedTxn> Load()
    {
        if (_entries is not null)
        {
            return _entries;
        }
        var entries = new List<AbortedTxn>();
        if (File.Exists(Path))
        {
            var bytes = File.ReadAllBytes(Path);
            for (var position = 0; position + EntrySize <= bytes.Length; position += EntrySize)
            {
                var span = bytes.AsSpan(position);
                entries.Add(new AbortedTxn(
                    BinaryPrimitives.ReadInt64BigEndian(span[2..]),
                    BinaryPrimitives.ReadInt64BigEndian(span[10..]),
                    BinaryPrimitives.ReadInt64BigEndian(span[18..]),
                    BinaryPrimitives.ReadInt64BigEndian(span[26..])));
            }
            if (bytes.Length % EntrySize != 0)
            {
                using var file = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                file.SetLength(bytes.Length - (bytes.Length % EntrySize));
            }
        }
        _entries = entries;
        return entries;
    }

    private void Rewrite(List<AbortedTxn> entries)
    {
        if (entries.Count == 0)
        {
            File.Delete(Path);
            return;
        }
        var bytes = new byte[entries.Count * EntrySize];
        for (var i = 0; i < entries.Count; i++)
        {
            Encode(entries[i], bytes.AsSpan(i * EntrySize));
        }
        IO.AtomicFile.WriteAllBytes(Path, bytes);
        _dirty = true;
    }

    private static void Encode(AbortedTxn entry, Span<byte> span)
    {
        BinaryPrimitives.WriteInt16BigEndian(span, Version);
        BinaryPrimitives.WriteInt64BigEndian(span[2..], entry.ProducerId);
        BinaryPrimitives.WriteInt64BigEndian(span[10..], entry.FirstOffset);
        BinaryPrimitives.WriteInt64BigEndian(span[18..], entry.LastOffset);
        BinaryPrimitives.WriteInt64BigEndian(span[26..], entry.LastStableOffset);
    }
}
