using System.Globalization;
using System.Text;
using Freshet.Storage.IO;

namespace Freshet.Storage.Checkpoints;

/// <summary>
/// meta.properties in each log dir (Java properties, as Kafka's KRaft mode writes it):
/// <code>
/// #
/// #&lt;date&gt;
/// cluster.id=MkU3OEVBNTcwNTJENDM2Qg
/// directory.id=J8aAPcfLQt2bqs1JT_rMgQ
/// node.id=1
/// version=1
/// </code>
/// </summary>
internal sealed record MetaProperties(int Version, string ClusterId, int NodeId, string DirectoryId)
{
    public const int CurrentVersion = 1;

    public static MetaProperties? Read(string logDir)
    {
        var path = Path.Combine(logDir, LogFileNames.MetaProperties);
        if (!File.Exists(path))
        {
            return null;
        }
        var values = new Dictionary<string, string>();
        foreach (var line in File.ReadAllLines(path))
        {
            var trimmed = line.Trim();
            var equals = trimmed.IndexOf('=');
            if (trimmed.Length == 0 || trimmed[0] == '#' || equals <= 0)
            {
                continue;
            }
            values[trimmed[..equals]] = trimmed[(equals + 1)..];
        }
        string Get(string key) => values.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"'{path}' has no {key}.");
        return new MetaProperties(
            int.Parse(Get("version"), CultureInfo.InvariantCulture),
            Get("cluster.id"),
            int.Parse(Get("node.id"), CultureInfo.InvariantCulture),
            values.GetValueOrDefault("directory.id", ""));
    }

    public void Write(string logDir, DateTimeOffset now)
    {
        var text = new StringBuilder()
            .Append("#\n")
            .Append(CultureInfo.InvariantCulture, $"#{now:ddd MMM dd HH:mm:ss 'UTC' yyyy}\n")
            .Append(CultureInfo.InvariantCulture, $"cluster.id={ClusterId}\n")
            .Append(CultureInfo.InvariantCulture, $"directory.id={DirectoryId}\n")
            .Append(CultureInfo.InvariantCulture, $"node.id={NodeId}\n")
            .Append(CultureInfo.InvariantCulture, $"version={Version}\n");
        AtomicFile.WriteAllText(Path.Combine(logDir, LogFileNames.MetaProperties), text.ToString());
    }
}
