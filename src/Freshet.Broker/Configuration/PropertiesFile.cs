using System.Globalization;
using System.Text;

namespace Freshet.Broker.Configuration;

/// <summary>
/// Java <c>.properties</c> text, as <c>java.util.Properties.load</c> reads it: <c>#</c> and <c>!</c>
/// comment lines, <c>=</c>, <c>:</c> or whitespace between key and value, a backslash at the end
/// of a line continues it, and <c>\t \n \r \f \uXXXX</c> escapes.
/// </summary>
public static class PropertiesFile
{
    /// <summary>The key/value pairs in file order; a key given twice appears twice (the last wins when applied).</summary>
    /// <exception cref="FormatException">A malformed <c>\uXXXX</c> escape.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var line in LogicalLines(text))
        {
            var (key, value) = SplitKeyValue(line);
            result.Add(new KeyValuePair<string, string>(Unescape(key), Unescape(value)));
        }

        return result;
    }

    public static IReadOnlyList<KeyValuePair<string, string>> Load(string path) => Parse(File.ReadAllText(path));

    // A logical line is a physical line plus the lines its trailing (unescaped) backslashes
    // continue onto; leading whitespace of each continuation line is dropped.
    private static IEnumerable<string> LogicalLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var current = new StringBuilder();
        var continuing = false;
        foreach (var physical in lines)
        {
            var line = physical.TrimStart(' ', '\t', '\f');
            if (!continuing)
            {
                if (line.Length == 0 || line[0] == '#' || line[0] == '!')
                    continue;
            }

            if (EndsWithOddBackslashes(line))
            {
                current.Append(line, 0, line.Length - 1);
                continuing = true;
                continue;
            }

            current.Append(line);
            continuing = false;
            yield return current.ToString();
            current.Clear();
        }

        if (continuing && current.Length > 0)
            yield return current.ToString();
    }

    private static bool EndsWithOddBackslashes(string line)
    {
        var count = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
            count++;
        return count % 2 == 1;
    }

    private static (string Key, string Value) SplitKeyValue(string line)
    {
        var keyEnd = 0;
        while (keyEnd < line.Length)
        {
            var c = line[keyEnd];
            if (c == '\\')
            {
                keyEnd += 2;
                continue;
            }

            if (c is '=' or ':' or ' ' or '\t' or '\f')
                break;
            keyEnd++;
        }

        keyEnd = Math.Min(keyEnd, line.Length);
        var valueStart = keyEnd;
        while (valueStart < line.Length && line[valueStart] is ' ' or '\t' or '\f')
            valueStart++;
        if (valueStart < line.Length && line[valueStart] is '=' or ':')
        {
            valueStart++;
            while (valueStart < line.Length && line[valueStart] is ' ' or '\t' or '\f')
                valueStart++;
        }

        return (line[..keyEnd], line[valueStart..].TrimEnd());
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
            return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c != '\\' || i + 1 == s.Length)
            {
                sb.Append(c);
                continue;
            }

            c = s[++i];
            switch (c)
            {
                case 't': sb.Append('\t'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    if (i + 4 >= s.Length
                        || !ushort.TryParse(s.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        throw new FormatException($"malformed \\uXXXX escape in '{s}'");
                    sb.Append((char)code);
                    i += 4;
                    break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }
}
