namespace Freshet.ProtocolGen;

/// <summary>
/// Turns a version range into the shortest C# condition on <c>version</c> that is correct within
/// a context range: "true", "false", or a comparison.
/// </summary>
internal static class VersionConditions
{
    public static string Within(VersionRange range, VersionRange context)
    {
        var inside = range.Intersect(context);
        if (inside.IsEmpty)
        {
            return "false";
        }
        var parts = new List<string>();
        if (inside.Low > context.Low)
        {
            parts.Add($"version >= {inside.Low}");
        }
        if (inside.High < context.High)
        {
            parts.Add($"version <= {inside.High}");
        }
        return parts.Count == 0 ? "true" : string.Join(" && ", parts);
    }

    /// <summary>Combines two conditions with &&, folding constants.</summary>
    public static string And(string left, string right) =>
        left == "false" || right == "false" ? "false"
        : left == "true" ? right
        : right == "true" ? left
        : $"{Paren(left)} && {Paren(right)}";

    public static string Paren(string condition) => condition.Contains(' ', StringComparison.Ordinal) && !condition.StartsWith('(') ? $"({condition})" : condition;
}
