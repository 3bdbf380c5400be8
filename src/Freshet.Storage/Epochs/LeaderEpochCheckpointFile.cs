using System.Globalization;
using System.Text;
using Freshet.Storage.Checkpoints;
using Freshet.Storage.IO;

namespace Freshet.Storage.Epochs;

/// <summary>
/// A partition's <c>leader-epoch-checkpoint</c>, Kafka's text format:
/// <code>
/// 0            version
/// 2            entry count
/// 3 0          epoch, start offset (space-separated)
/// 5 1200
/// </code>
/// Written as temp file, fsync, atomic rename, so a crash leaves the old or the new list.
/// </summary>
internal static class LeaderEpochCheckpointFile
{
    public const int Version = CheckpointText.Version;

    public static string PathFor(string partitionDir) => Path.Combine(partitionDir, LogFileNames.LeaderEpochCheckpoint);

    public static string Format(ReadOnlySpan<EpochEntry> entries)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Version}\n{entries.Length}\n");
        foreach (var entry in entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"{entry.Epoch} {entry.StartOffset}\n");
        }
        return text.ToString();
    }

    public static void Write(string path, ReadOnlySpan<EpochEntry> entries) => AtomicFile.WriteAllText(path, Format(entries));

    /// <summary>
    /// The entries of the file; null when there is none. An empty file (as Kafka creates with a new log) holds no
    /// entries.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a version-0 checkpoint of increasing entries.</exception>
    public static EpochEntry[]? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0)
        {
            return [];
        }
        var fields = CheckpointText.Entries(path, lines);
        var entries = new EpochEntry[fields.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            var parts = fields[i];
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var startOffset))
            {
                throw new InvalidDataException($"Line {i + 3} of '{path}' is not 'epoch startOffset'.");
            }
            if (i > 0 && (epoch <= entries[i - 1].Epoch || startOffset <= entries[i - 1].StartOffset))
            {
                throw new InvalidDataException($"Line {i + 3} of '{path}' does not increase on the line before it.");
            }
            entries[i] = new EpochEntry(epoch, startOffset);
        }
        return entries;
    }
}
