using Freshet.Broker.Configuration;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Topics;

/// <summary>IncrementalAlterConfigs' operation codes (AlterConfigOp.OpType).</summary>
internal enum ConfigOperation : sbyte
{
    Set = 0,
    Delete = 1,
    Append = 2,
    Subtract = 3,
}

/// <summary>One requested change to a topic setting.</summary>
internal readonly record struct ConfigEdit(string Name, ConfigOperation Operation, string? Value);

/// <summary>The new overrides of a topic, or the error that stops the change.</summary>
internal readonly record struct ConfigEditResult(ErrorCode Error, string? Message, IReadOnlyDictionary<string, string> Overrides)
{
    public static ConfigEditResult Fail(ErrorCode error, string message) => new(error, message, new Dictionary<string, string>());
}

/// <summary>
/// Turns AlterConfigs and IncrementalAlterConfigs requests into a topic's new overrides, with
/// Kafka's checks: unknown names and bad values are INVALID_CONFIG, malformed requests
/// (duplicate names, null values, unknown operations) INVALID_REQUEST. Every kept value is
/// normalised, so what is stored is what DescribeConfigs shows.
/// </summary>
internal static class TopicConfigEdits
{
    /// <summary>IncrementalAlterConfigs: each edit applies to the current overrides; the others stay.</summary>
    /// <param name="effective">Every setting's current value, the base that APPEND and SUBTRACT work on.</param>
    public static ConfigEditResult Apply(IReadOnlyDictionary<string, string> overrides, IReadOnlyDictionary<string, string> effective, IReadOnlyList<ConfigEdit> edits)
    {
        var duplicate = edits.GroupBy(e => e.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return ConfigEditResult.Fail(ErrorCode.InvalidRequest, $"Error due to duplicate config keys: {duplicate.Key}.");
        }
        var result = new Dictionary<string, string>(overrides, StringComparer.Ordinal);
        foreach (var edit in edits)
        {
            if (!TopicConfigDefinitions.TryGet(edit.Name, out var definition))
            {
                return ConfigEditResult.Fail(ErrorCode.InvalidConfig, $"Unknown topic config name: {edit.Name}.");
            }
            if (edit.Operation is not ConfigOperation.Delete and not ConfigOperation.Set and not ConfigOperation.Append and not ConfigOperation.Subtract)
            {
                return ConfigEditResult.Fail(ErrorCode.InvalidRequest, $"Unknown config operation {(sbyte)edit.Operation} for {edit.Name}.");
            }
            if (edit.Operation != ConfigOperation.Delete && edit.Value is null)
            {
                return ConfigEditResult.Fail(ErrorCode.InvalidRequest, $"Null value not supported for: {edit.Name}.");
            }
            var isList = definition.Rule.Type == "LIST";
            if (edit.Operation is ConfigOperation.Append or ConfigOperation.Subtract && !isList)
            {
                var verb = edit.Operation == ConfigOperation.Append ? "append" : "subtract";
                return ConfigEditResult.Fail(ErrorCode.InvalidConfig, $"Config value {verb} is not allowed for config key: {edit.Name}.");
            }
            switch (edit.Operation)
            {
                case ConfigOperation.Delete:
                    result.Remove(edit.Name);
                    break;
                case ConfigOperation.Set:
                    result[edit.Name] = edit.Value!;
                    break;
                default:
                    // Kafka appends to and subtracts from the value in force, keeping the list's order.
                    var current = ConfigRule.SplitList(result.TryGetValue(edit.Name, out var o) ? o : effective.GetValueOrDefault(edit.Name, string.Empty));
                    var items = ConfigRule.SplitList(edit.Value!);
                    var updated = edit.Operation == ConfigOperation.Append
                        ? current.Concat(items.Where(i => !current.Contains(i))).Distinct(StringComparer.Ordinal)
                        : current.Where(i => !items.Contains(i));
                    result[edit.Name] = string.Join(',', updated);
                    break;
            }
        }
        return Normalise(result);
    }

    /// <summary>AlterConfigs: the given settings become the whole set of overrides; any not named go back to the default.</summary>
    public static ConfigEditResult Replace(IEnumerable<(string Name, string? Value)> configs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in configs)
        {
            if (!result.TryAdd(name, value ?? string.Empty))
            {
                return ConfigEditResult.Fail(ErrorCode.InvalidRequest, $"Error due to duplicate config keys: {name}.");
            }
            if (value is null)
            {
                return ConfigEditResult.Fail(ErrorCode.InvalidRequest, $"Null value not supported for topic configs: {name}.");
            }
        }
        return Normalise(result);
    }

    private static ConfigEditResult Normalise(Dictionary<string, string> overrides)
    {
        var normalised = new Dictionary<string, string>(overrides.Count, StringComparer.Ordinal);
        foreach (var (name, value) in overrides)
        {
            if (!TopicConfigDefinitions.TryValidate(name, value, out var error))
            {
                return ConfigEditResult.Fail(ErrorCode.InvalidConfig, error);
            }
            TopicConfigDefinitions.TryGet(name, out var definition);
            normalised[name] = definition.Rule.Normalize(name, value);
        }
        return new ConfigEditResult(ErrorCode.None, null, normalised);
    }
}
