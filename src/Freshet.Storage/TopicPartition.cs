using System.Globalization;

namespace Freshet.Storage;

/// <summary>A partition of a topic; its directory in a log dir is <c>topic-partition</c>.</summary>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    public string DirectoryName => Topic + "-" + Partition.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses <c>topic-7</c>. Topic names may contain '-', so the partition is what follows the last one.
    /// Names with a lifecycle suffix (<c>-delete</c>, <c>-future</c>, <c>-stray</c>) do not parse.
    /// </summary>
    public static bool TryParseDirectoryName(string name, out TopicPartition tp)
    {
        tp = default;
        var dash = name.LastIndexOf('-');
        if (dash <= 0 || dash == name.Length - 1)
        {
            return false;
        }
        var digits = name.AsSpan(dash + 1);
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
        {
            return false;
        }
        tp = new TopicPartition(name[..dash], partition);
        return true;
    }

    public override string ToString() => DirectoryName;
}
