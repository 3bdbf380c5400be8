using System.Globalization;

namespace Freshet.Storage.Checkpoints;

/// <summary>
/// What Kafka's text checkpoints share (the offset checkpoints, leader-epoch-checkpoint): a version line
/// <c>0</c>, an entry-count line, then one space-separated entry per line.
/// </summary>
internal static class CheckpointText
{
    public const int Version = 0;

    /// <summary>The entry lines, each split on spaces.</summary>
    /// <exception cref="InvalidDataException">The lines are not a version-0 checkpoint holding as many entries as it says.</exception>
    public static string[][] Entries(string path, string[] lines)
    {
        if (lines.Length < 2 || lines[0].Trim() != "0" || !int.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new InvalidDataException($"'{path}' does not start with version 0 and an entry count.");
        }
        if (lines.Length - 2 < count)
        {
            throw new InvalidDataException($"'{path}' promises {count} entries but has {lines.Length - 2}.");
        }
        var entries = new string[count][];
        for (var i = 0; i < count; i++)
        {
            entries[i] = lines[2 + i].Split(' ');
        }
        return entries;
    }
}
