namespace Freshet.ProtocolGen;

internal static class Naming
{
    public static string Pascal(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];

    /// <summary>UPPER_SNAKE to PascalCase: UNKNOWN_TOPIC_OR_PARTITION becomes UnknownTopicOrPartition.</summary>
    public static string FromSnake(string name) =>
        string.Concat(name.Split('_', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant()));

    public static string ApiName(string requestName) => requestName[..^"Request".Length];

    public static string Literal(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
