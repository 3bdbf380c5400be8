using System.Text;

namespace Freshet.Storage.IO;

/// <summary>
/// Replaces a small file so that a crash leaves either the old or the new content: write a temp file,
/// fsync it, rename it over the target, fsync the directory.
/// </summary>
internal static class AtomicFile
{
    /// <param name="syncDirectory">False when the caller fsyncs the directory itself, after more changes in it.</param>
    public static void WriteAllText(string path, string content, bool syncDirectory = true) =>
        WriteAllBytes(path, Encoding.UTF8.GetBytes(content), syncDirectory);

    /// <param name="syncDirectory">False when the caller fsyncs the directory itself, after more changes in it.</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, bool syncDirectory = true)
    {
        var temp = path + LogFileNames.TempSuffix;
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        if (syncDirectory)
        {
            DirectorySync.Fsync(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
    }
}
