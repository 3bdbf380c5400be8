using System.Text;

namespace Freshet.Storage.IO;

/// <summary>
/// Replaces a small file so that a crash leaves either the old or the new content: write a temp file,
/// fsync it, rename it over the target, fsync the directory.
/// </summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string content) => WriteAllBytes(path, Encoding.UTF8.GetBytes(content));

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        var temp = path + LogFileNames.TempSuffix;
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        DirectorySync.Fsync(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
