using Freshet.Storage.IO;
using Microsoft.Win32.SafeHandles;

namespace Freshet.Storage.Indexes;

/// <summary>
/// The file under an index: fixed-size entries, written in runs with pwrite. The file is preallocated to
/// segment.index.bytes while its segment is active and trimmed to the used entries when it stops being so.
/// Plain file I/O instead of a memory map: the entries are mirrored in memory anyway (lookups never touch the
/// file), a mapped file cannot be truncated on Windows without unmapping it, and new entries cost one pwrite per
/// flush, roll or close (see the indexes' WritePending), nothing per append.
/// </summary>
/// <remarks>
/// The file is opened for each of those operations and closed after it, never held open: they are rare, and a
/// broker with 10,000 partitions would otherwise hold 20,000 descriptors (offset and time index of every active
/// segment) for files it touches only on flush, roll and close. Since the file is found by name, the segment
/// reports a rename (<see cref="Renamed"/>) and detaches the index when its files are unlinked for a replacement
/// that reuses the names (<see cref="Detach"/>), after which writes go nowhere.
/// </remarks>
internal sealed class IndexFile(string path, int entrySize, int maxIndexBytes)
{
    private volatile string? _path = path;

    /// <summary>Where the file is now; null once detached.</summary>
    public string? Path => _path;

    public int EntrySize { get; } = entrySize;

    public int MaxEntries { get; } = Math.Max(1, maxIndexBytes / entrySize);

    /// <summary>The whole file, preallocated zeros included; creates an empty file when there is none.</summary>
    public byte[] ReadAll()
    {
        if (Open(FileMode.OpenOrCreate) is not { } handle)
        {
            return [];
        }
        using (handle)
        {
            var bytes = new byte[checked((int)RandomAccess.GetLength(handle))];
            if (!FileIo.TryReadExactly(handle, bytes, 0))
            {
                throw new IOException($"'{_path}' shrank while it was being read.");
            }
            return bytes;
        }
    }

    public void WriteEntries(int firstIndex, ReadOnlySpan<byte> entries)
    {
        using var handle = Open(FileMode.Open);
        if (handle is not null)
        {
            FileIo.Write(handle, entries, (long)firstIndex * EntrySize);
        }
    }

    /// <summary>Cuts the file to <paramref name="entries"/> and, for an active segment, extends it again with zeros.</summary>
    public void Resize(int entries, bool preallocate)
    {
        using var handle = Open(FileMode.Open);
        if (handle is null)
        {
            return;
        }
        RandomAccess.SetLength(handle, (long)entries * EntrySize);
        if (preallocate)
        {
            RandomAccess.SetLength(handle, (long)Math.Max(entries, MaxEntries) * EntrySize);
        }
    }

    /// <summary>fsync through a fresh descriptor: on Linux it writes back the file's dirty pages whoever wrote them.</summary>
    public void Flush()
    {
        using var handle = Open(FileMode.Open);
        if (handle is not null)
        {
            RandomAccess.FlushToDisk(handle);
        }
    }

    /// <summary>The file now lives at <paramref name="path"/> (its segment was renamed, e.g. to <c>.deleted</c>).</summary>
    public void Renamed(string path)
    {
        if (_path is not null)
        {
            _path = path;
        }
    }

    /// <summary>The file was unlinked and its name may be reused by another segment's index: stop touching it.</summary>
    public void Detach() => _path = null;

    private SafeFileHandle? Open(FileMode mode) =>
        _path is { } path ? FileIo.OpenReadWrite(path, mode) : null;
}
