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
internal sealed class IndexFile : IDisposable
{
    private readonly SafeFileHandle _handle;

    public IndexFile(string path, int entrySize, int maxIndexBytes)
    {
        Path = path;
        EntrySize = entrySize;
        MaxEntries = Math.Max(1, maxIndexBytes / entrySize);
        _handle = FileIo.OpenReadWrite(path, FileMode.OpenOrCreate);
    }

    public string Path { get; }

    public int EntrySize { get; }

    public int MaxEntries { get; }

    public long Length => RandomAccess.GetLength(_handle);

    /// <summary>The whole file, preallocated zeros included.</summary>
    public byte[] ReadAll()
    {
        var bytes = new byte[checked((int)Length)];
        if (!FileIo.TryReadExactly(_handle, bytes, 0))
        {
            throw new IOException($"'{Path}' shrank while it was being read.");
        }
        return bytes;
    }

    public void WriteEntries(int firstIndex, ReadOnlySpan<byte> entries) => FileIo.Write(_handle, entries, (long)firstIndex * EntrySize);

    /// <summary>Cuts the file to <paramref name="entries"/> and, for an active segment, extends it again with zeros.</summary>
    public void Resize(int entries, bool preallocate)
    {
        RandomAccess.SetLength(_handle, (long)entries * EntrySize);
        if (preallocate)
        {
            RandomAccess.SetLength(_handle, (long)Math.Max(entries, MaxEntries) * EntrySize);
        }
    }

    public void Flush() => RandomAccess.FlushToDisk(_handle);

    public void Dispose() => _handle.Dispose();
}
