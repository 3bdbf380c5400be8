using System.Globalization;

namespace Freshet.Broker.Configuration;

/// <summary>
/// The type and the allowed values of one setting, as Kafka's ConfigDef declares them. A rule
/// checks a raw string and gives back the normalised text that the typed setter then parses.
/// </summary>
public sealed class ConfigRule
{
    private readonly Func<string, string?> _normalize;

    private ConfigRule(string type, string expected, Func<string, string?> normalize)
    {
        Type = type;
        Expected = expected;
        _normalize = normalize;
    }

    /// <summary>Kafka's type name: BOOLEAN, STRING, INT, SHORT, LONG, DOUBLE, LIST, PASSWORD.</summary>
    public string Type { get; }

    /// <summary>What a valid value looks like, for error messages: "expected an integer ≥ 1".</summary>
    public string Expected { get; }

    public bool TryNormalize(string? raw, out string normalized)
    {
        normalized = string.Empty;
        if (raw is null)
            return false;
        var result = _normalize(raw.Trim());
        if (result is null)
            return false;
        normalized = result;
        return true;
    }

    /// <summary>The normalised value, or a <see cref="ConfigException"/> naming the property.</summary>
    public string Normalize(string name, string? raw) =>
        TryNormalize(raw, out var normalized) ? normalized : throw new ConfigException(name, raw, "expected " + Expected);

    public static ConfigRule Int(int min = int.MinValue, int max = int.MaxValue) =>
        new("INT", "an integer" + Range(min, max, int.MinValue, int.MaxValue), s =>
            int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                ? v.ToString(CultureInfo.InvariantCulture)
                : null);

    public static ConfigRule Long(long min = long.MinValue, long max = long.MaxValue) =>
        new("LONG", "an integer" + Range(min, max, long.MinValue, long.MaxValue), s =>
            long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                ? v.ToString(CultureInfo.InvariantCulture)
                : null);

    public static ConfigRule Double(double min, double max) =>
        new("DOUBLE", $"a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}", s =>
            double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                ? v.ToString(CultureInfo.InvariantCulture)
                : null);

    public static ConfigRule Bool() =>
        new("BOOLEAN", "true or false", s =>
            s.Equals("true", StringComparison.OrdinalIgnoreCase) ? "true"
            : s.Equals("false", StringComparison.OrdinalIgnoreCase) ? "false"
            : null);

    /// <summary>One of a fixed set of strings, compared exactly as Kafka does.</summary>
    public static ConfigRule OneOf(params string[] values) =>
        new("STRING", "one of " + string.Join(", ", values), s => Array.IndexOf(values, s) >= 0 ? s : null);

    /// <summary>A non-empty comma-separated list whose items are all in <paramref name="values"/>.</summary>
    public static ConfigRule ListOf(params string[] values) =>
        new("LIST", "a comma-separated list of " + string.Join(", ", values), s =>
        {
            var items = SplitList(s);
            return items.Count > 0 && items.All(i => Array.IndexOf(values, i) >= 0) ? string.Join(',', items) : null;
        });

    public static ConfigRule NonEmptyList() =>
        new("LIST", "a non-empty comma-separated list", s =>
        {
            var items = SplitList(s);
            return items.Count > 0 ? string.Join(',', items) : null;
        });

    public static ConfigRule NonEmptyString() =>
        new("STRING", "a non-empty string", s => s.Length > 0 ? s : null);

    /// <summary>Kafka's listener list: <c>PLAINTEXT://host:port</c>; the setter reports protocol and port errors.</summary>
    public static ConfigRule Listeners() =>
        new("LIST", "a listener like PLAINTEXT://host:port", s => SplitList(s) is { Count: > 0 } items ? string.Join(',', items) : null);

    public static IReadOnlyList<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string Range<T>(T min, T max, T typeMin, T typeMax)
        where T : IComparable<T>, IFormattable
    {
        var hasMin = min.CompareTo(typeMin) != 0;
        var hasMax = max.CompareTo(typeMax) != 0;
        var lo = min.ToString(null, CultureInfo.InvariantCulture);
        var hi = max.ToString(null, CultureInfo.InvariantCulture);
        return (hasMin, hasMax) switch
        {
            (true, true) => $" between {lo} and {hi}",
            (true, false) => $" ≥ {lo}",
            (false, true) => $" ≤ {hi}",
            _ => string.Empty,
        };
    }
}
