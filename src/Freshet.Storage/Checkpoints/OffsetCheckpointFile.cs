using System.Globalization;
using System.Text;
using Freshet.Storage.IO;

namespace Freshet.Storage.Checkpoints;

/// <summary>
/// Kafka's per-log-dir offset checkpoints (recovery-point-offset-checkpoint, log-start-offset-checkpoint,
/// replication-offset-checkpoint). Text, one item per line:
/// <code>
/// 0                      version
/// 2                      entry count
/// orders 0 1234          topic, partition, offset (space-separated)
/// orders 1 98
/// </code>
/// Written as temp file, fsync, atomic rename, so a crash leaves the old or the new checkpoint.
/// </summary>
internal static class OffsetCheckpointFile
{
    public const int Version = CheckpointText.Version;

    public static void Write(string path, IEnumerable<KeyValuePair<TopicPartition, long>> offsets)
    {
        var entries = offsets.ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Version}\n{entries.Count}\n");
        foreach (var (tp, offset) in entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"{tp.Topic} {tp.Partition} {offset}\n");
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>The entries of the file; empty when there is no file.</summary>
    /// <exception cref="InvalidDataException">The file is not a version-0 checkpoint.</exception>
    public static Dictionary<TopicPartition, long> Read(string path)
    {
        var result = new Dictionary<TopicPartition, long>();
        if (!File.Exists(path))
        {
            return result;
        }
        var entries = CheckpointText.Entries(path, File.ReadAllLines(path));
        for (var i = 0; i < entries.Length; i++)
        {
            var parts = entries[i];
            if (parts.Length != 3
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offset))
            {
                throw new InvalidDataException($"Line {i + 3} of '{path}' is not 'topic partition offset'.");
            }
            result[new TopicPartition(parts[0], partition)] = offset;
        }
        return result;
    }
}
