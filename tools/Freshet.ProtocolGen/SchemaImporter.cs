using System.Globalization;
using System.Text.Json;

namespace Freshet.ProtocolGen;

/// <summary>
/// Reads Kafka's JSON message definitions and keeps only their wire facts. Comments, prose and
/// Java-only hints (mapKey, entityType, zeroCopy) are dropped on the way in.
/// </summary>
internal static class SchemaImporter
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static List<MessageSpec> ReadMessages(string kafkaDir)
    {
        var files = Directory.GetFiles(kafkaDir, "*.json")
            .Concat(Directory.Exists(Path.Combine(kafkaDir, "internal-records"))
                ? Directory.GetFiles(Path.Combine(kafkaDir, "internal-records"), "*.json")
                : []);
        return [.. files.Select(ReadMessage).OrderBy(m => m.Name, StringComparer.Ordinal)];
    }

    public static List<ErrorCodeSpec> ReadErrorCodes(string kafkaDir)
    {
        var codes = new List<ErrorCodeSpec>();
        foreach (var line in File.ReadAllLines(Path.Combine(kafkaDir, "error-codes.csv")).Skip(1))
        {
            var parts = line.Split(',');
            if (parts.Length >= 2 && short.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
            {
                codes.Add(new ErrorCodeSpec(code, parts[1].Trim()));
            }
        }
        return [.. codes.OrderBy(c => c.Code)];
    }

    private static MessageSpec ReadMessage(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path), Options);
        var root = doc.RootElement;
        var kind = root.GetProperty("type").GetString()!;
        return new MessageSpec
        {
            Name = root.GetProperty("name").GetString()!,
            Kind = kind is "request" or "response" or "header" ? kind : "data",
            ApiKey = root.TryGetProperty("apiKey", out var key) ? (short)Number(key) : null,
            Listeners = root.TryGetProperty("listeners", out var listeners)
                ? [.. listeners.EnumerateArray().Select(l => l.GetString()!)]
                : [],
            ValidVersions = VersionRange.Parse(root.GetProperty("validVersions").GetString()!),
            FlexibleVersions = Range(root, "flexibleVersions") ?? VersionRange.None,
            Fields = ReadFields(root),
            CommonStructs = root.TryGetProperty("commonStructs", out var structs)
                ? [.. structs.EnumerateArray().Select(s => new StructSpec
                {
                    Name = s.GetProperty("name").GetString()!,
                    Versions = Range(s, "versions") ?? VersionRange.All,
                    Fields = ReadFields(s),
                })]
                : [],
        };
    }

    private static List<FieldSpec> ReadFields(JsonElement owner) =>
        owner.TryGetProperty("fields", out var fields) ? [.. fields.EnumerateArray().Select(ReadField)] : [];

    private static FieldSpec ReadField(JsonElement field) => new()
    {
        Name = field.GetProperty("name").GetString()!,
        Type = field.GetProperty("type").GetString()!.Trim(),
        Versions = Range(field, "versions") ?? VersionRange.All,
        NullableVersions = Range(field, "nullableVersions") ?? VersionRange.None,
        Default = field.TryGetProperty("default", out var def) ? DefaultText(def) : null,
        Tag = field.TryGetProperty("tag", out var tag) ? Number(tag) : null,
        TaggedVersions = Range(field, "taggedVersions") ?? VersionRange.None,
        FlexibleVersions = Range(field, "flexibleVersions"),
        Ignorable = field.TryGetProperty("ignorable", out var ignorable) && ignorable.GetBoolean(),
        Fields = ReadFields(field),
    };

    private static string DefaultText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!.Trim(),
        JsonValueKind.Null => "null",
        _ => value.GetRawText().Trim(),
    };

    private static int Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? int.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt32();

    private static VersionRange? Range(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) ? VersionRange.Parse(value.GetString()!) : null;
}
