using Microsoft.Win32.SafeHandles;

namespace Freshet.Storage.IO;

/// <summary>Positional reads and writes that loop until done, which pread/pwrite need not.</summary>
internal static class FileIo
{
    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes or returns false at end of file.</summary>
    public static bool TryReadExactly(SafeFileHandle handle, Span<byte> buffer, long position)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[done..], position + done);
            if (read == 0)
            {
                return false;
            }
            done += read;
        }
        return true;
    }

    public static void Write(SafeFileHandle handle, ReadOnlySpan<byte> data, long position) =>
        RandomAccess.Write(handle, data, position);

    public static SafeFileHandle OpenReadWrite(string path, FileMode mode) =>
        File.OpenHandle(path, mode, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>
    /// A segment's log file. Marked for asynchronous I/O so that a stream over the handle itself can go to
    /// <c>Socket.SendPacketsAsync</c> (sendfile), which accepts no other; on Unix the mark changes nothing else, and
    /// every read and write here names its offset (pread, pwrite) either way.
    /// </summary>
    public static SafeFileHandle OpenSegmentLog(string path, FileMode mode) =>
        File.OpenHandle(path, mode, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
}
