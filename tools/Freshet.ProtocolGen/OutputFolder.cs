using System.Text;

namespace Freshet.ProtocolGen;

/// <summary>Writes a folder's complete contents, removing stale files, or compares against them.</summary>
internal static class OutputFolder
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string dir, IDictionary<string, string> files, string pattern)
    {
        Directory.CreateDirectory(dir);
        foreach (var stale in Directory.GetFiles(dir, pattern).Where(p => !files.ContainsKey(Path.GetFileName(p))))
        {
            File.Delete(stale);
        }
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(dir, name);
            if (!File.Exists(path) || File.ReadAllText(path, Utf8) != text)
            {
                File.WriteAllText(path, text, Utf8);
            }
        }
    }

    public static List<string> Compare(string dir, IDictionary<string, string> files, string pattern)
    {
        var differences = new List<string>();
        var existing = Directory.Exists(dir) ? Directory.GetFiles(dir, pattern).Select(Path.GetFileName).ToHashSet() : [];
        foreach (var extra in existing.Where(n => !files.ContainsKey(n!)).Order(StringComparer.Ordinal))
        {
            differences.Add($"unexpected file: {extra}");
        }
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(dir, name);
            if (!File.Exists(path))
            {
                differences.Add($"missing file: {name}");
            }
            else if (!File.ReadAllBytes(path).AsSpan().SequenceEqual(Utf8.GetBytes(text)))
            {
                differences.Add($"differs: {name}");
            }
        }
        return differences;
    }
}
