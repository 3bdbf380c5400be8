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

    /// <summary>
    /// Temp file and rename, without fsync: a snapshot is an optimisation, never the only record of anything. One
    /// that a crash leaves torn or empty fails its CRC at start-up and an older one (or none) is used instead, with
    /// more of the log replayed, so the state comes out the same; skipping the fsyncs keeps a shutdown of many
    /// partitions fast.
    /// </summary>
    public static void Write(string directory, long offset, byte[] bytes)
    {
        var path = PathFor(directory, offset);
        var temp = path + LogFileNames.TempSuffix;
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Removes the snapshots that are neither at a segment's base offset (rolls write those) nor the latest (the
    /// shutdown one), so repeated restarts do not pile them up.
    /// </summary>
    public static void DeleteStray(string directory, IReadOnlyList<long> segmentBaseOffsets)
    {
        var snapshots = List(directory);
        for (var i = 0; i < snapshots.Count - 1; i++)
        {
            if (!segmentBaseOffsets.Contains(snapshots[i]))
            {
                File.Delete(PathFor(directory, snapshots[i]));
            }
        }
    }

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

    /// <summary>Removes every snapshot (the log was emptied).</summary>
    public static void DeleteAll(string directory) => DeleteAbove(directory, -1);
}
