namespace Freshet.ProtocolGen;

/// <summary>Parses the compact schema form that <see cref="SchemaWriter"/> produces.</summary>
internal static class SchemaParser
{
    public static List<MessageSpec> ReadAll(string schemaDir) =>
        [.. Directory.GetFiles(schemaDir, "*.schema")
            .Where(p => Path.GetFileName(p) != "ErrorCodes.schema")
            .Select(p => Parse(File.ReadAllText(p), Path.GetFileName(p)))
            .OrderBy(m => m.Name, StringComparer.Ordinal)];

    public static List<ErrorCodeSpec> ReadErrorCodes(string schemaDir) =>
        [.. File.ReadAllLines(Path.Combine(schemaDir, "ErrorCodes.schema"))
            .Where(l => l.Length > 0)
            .Select(l => l.Split(' '))
            .Select(p => new ErrorCodeSpec(short.Parse(p[0]), p[1]))];

    public static MessageSpec Parse(string text, string source)
    {
        var lines = text.Split('\n').Where(l => l.Trim().Length > 0).ToList();
        var header = lines[0].Split(' ');
        string kind = header[0], name = header[1];
        short? apiKey = null;
        var listeners = new List<string>();
        VersionRange valid = VersionRange.None, flexible = VersionRange.None;
        var index = 1;
        for (; index < lines.Count && !lines[index].StartsWith("field ", StringComparison.Ordinal)
            && !lines[index].StartsWith("struct ", StringComparison.Ordinal); index++)
        {
            var parts = lines[index].Split(' ');
            switch (parts[0])
            {
                case "apiKey": apiKey = short.Parse(parts[1]); break;
                case "listeners": listeners = [.. parts[1..]]; break;
                case "validVersions": valid = VersionRange.Parse(parts[1]); break;
                case "flexibleVersions": flexible = VersionRange.Parse(parts[1]); break;
                default: throw new FormatException($"{source}: unknown line '{lines[index]}'.");
            }
        }
        var fields = ParseFields(lines, ref index, 0, source);
        var structs = new List<StructSpec>();
        while (index < lines.Count)
        {
            var parts = lines[index].Split(' ');
            if (parts[0] != "struct")
            {
                throw new FormatException($"{source}: expected a struct at '{lines[index]}'.");
            }
            index++;
            structs.Add(new StructSpec
            {
                Name = parts[1],
                Versions = VersionRange.Parse(parts[2]["versions=".Length..]),
                Fields = ParseFields(lines, ref index, 1, source),
            });
        }
        return new MessageSpec
        {
            Name = name,
            Kind = kind,
            ApiKey = apiKey,
            Listeners = listeners,
            ValidVersions = valid,
            FlexibleVersions = flexible,
            Fields = fields,
            CommonStructs = structs,
        };
    }

    private static List<FieldSpec> ParseFields(List<string> lines, ref int index, int depth, string source)
    {
        var fields = new List<FieldSpec>();
        var indent = new string(' ', depth * 2) + "field ";
        while (index < lines.Count && lines[index].StartsWith(indent, StringComparison.Ordinal))
        {
            var parts = lines[index][indent.Length..].Split(' ');
            index++;
            var attributes = parts[2..].Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
            string? Get(string key) => attributes.TryGetValue(key, out var v) ? v : null;
            fields.Add(new FieldSpec
            {
                Name = parts[0],
                Type = parts[1],
                Versions = Get("versions") is { } versions ? VersionRange.Parse(versions) : throw new FormatException($"{source}: field {parts[0]} has no versions."),
                NullableVersions = Get("nullable") is { } nullable ? VersionRange.Parse(nullable) : VersionRange.None,
                Default = Get("default") is { } def ? (def == "\"\"" ? "" : def) : null,
                Tag = Get("tag") is { } tag ? int.Parse(tag) : null,
                TaggedVersions = Get("tagged") is { } tagged ? VersionRange.Parse(tagged) : VersionRange.None,
                FlexibleVersions = Get("flexible") is { } flexible ? VersionRange.Parse(flexible) : null,
                Ignorable = attributes.ContainsKey("ignorable"),
                Fields = ParseFields(lines, ref index, depth + 1, source),
            });
        }
        return fields;
    }
}
