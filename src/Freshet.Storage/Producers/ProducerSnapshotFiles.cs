using Freshet.Storage.IO;

namespace Freshet.Storage.Producers;

/// <summary>The <c>&lt;20-digit offset&gt;.snapshot</c> files of a partition directory: producer state at that offset.</summary>
internal static class ProducerSnapshotFiles
{
    public static string PathFor(string directory, long offset) =>
        Path.Combine(directory, LogFileNames.FileNamePrefix(offset) + LogFileNames.SnapshotSuffix);

    /// <summary>The offsets of the snapshots in the directory, ascending.</summary>
    public static List<long> List(string directory)
    {
        var offsets = new List<long>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + LogFileNames.SnapshotSuffix))
        {
            if (LogFileNames.TryParseBaseOffset(Path.GetFileName(path), LogFileNames.SnapshotSuffix, out var offset))
            {
                offsets.Add(offset);
            }
        }
        offsets.Sort();
        return offsets;
    }

    /// <summary>Temp file, fsync, rename: a crash leaves the whole snapshot or none.</summary>
    public static void Write(string directory, long offset, byte[] bytes) => AtomicFile.WriteAllBytes(PathFor(directory, offset), bytes);

    /// <summary>Removes the snapshots below <paramref name="offset"/> (their segments are gone).</summary>
    public static void DeleteBelow(string directory, long offset)
    {
        foreach (var snapshot in List(directory))
        {
            if (snapshot < offset)
            {
                File.Delete(PathFor(directory, snapshot));
            }
        }
    }

    /// <summary>Removes the snapshots above <paramref name="offset"/> (recovery truncated the log below them).</summary>
    public static void DeleteAbove(string directory, long offset)
    {
        foreach (var snapshot in List(directory))
        {
            if (snapshot > offset)
            {
                File.Delete(PathFor(directory, snapshot));
            }
        }
    }
}
