using System.Text;

namespace Freshet.ProtocolGen;

/// <summary>
/// Writes our compact schema form: one "key value" line per message fact, then one line per
/// field ("field Name type key=value ..."), nested struct fields indented two spaces per level.
/// </summary>
internal static class SchemaWriter
{
    public static string Write(MessageSpec message)
    {
        var sb = new StringBuilder();
        sb.Append(message.Kind).Append(' ').Append(message.Name).Append('\n');
        if (message.ApiKey is { } key)
        {
            sb.Append("apiKey ").Append(key).Append('\n');
        }
        if (message.Listeners.Count > 0)
        {
            sb.Append("listeners ").Append(string.Join(' ', message.Listeners)).Append('\n');
        }
        sb.Append("validVersions ").Append(message.ValidVersions).Append('\n');
        sb.Append("flexibleVersions ").Append(message.FlexibleVersions).Append('\n');
        WriteFields(sb, message.Fields, 0);
        foreach (var common in message.CommonStructs)
        {
            sb.Append("struct ").Append(common.Name).Append(" versions=").Append(common.Versions).Append('\n');
            WriteFields(sb, common.Fields, 1);
        }
        return sb.ToString();
    }

    public static string WriteErrorCodes(IEnumerable<ErrorCodeSpec> codes)
    {
        var sb = new StringBuilder();
        foreach (var code in codes)
        {
            sb.Append(code.Code).Append(' ').Append(code.Name).Append('\n');
        }
        return sb.ToString();
    }

    private static void WriteFields(StringBuilder sb, List<FieldSpec> fields, int depth)
    {
        foreach (var field in fields)
        {
            sb.Append(' ', depth * 2).Append("field ").Append(field.Name).Append(' ').Append(field.Type);
            sb.Append(" versions=").Append(field.Versions);
            if (!field.NullableVersions.IsEmpty)
            {
                sb.Append(" nullable=").Append(field.NullableVersions);
            }
            if (field.Default is { } def)
            {
                sb.Append(" default=").Append(def.Length == 0 ? "\"\"" : def);
            }
            if (field.Tag is { } tag)
            {
                sb.Append(" tag=").Append(tag).Append(" tagged=").Append(field.TaggedVersions);
            }
            if (field.FlexibleVersions is { } flexible)
            {
                sb.Append(" flexible=").Append(flexible);
            }
            if (field.Ignorable)
            {
                sb.Append(" ignorable");
            }
            sb.Append('\n');
            WriteFields(sb, field.Fields, depth + 1);
        }
    }
}
