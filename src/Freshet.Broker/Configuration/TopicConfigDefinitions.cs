namespace Freshet.Broker.Configuration;

/// <summary>
/// The topic-level settings Kafka users give at CreateTopics, each validated as Kafka does and
/// defaulting from its broker synonym.
/// </summary>
public static class TopicConfigDefinitions
{
    public static IReadOnlyList<TopicConfigDefinition> All { get; } =
    [
        new("cleanup.policy", ConfigRule.ListOf([.. BrokerConfigDefinitions.CleanupPolicies]), "log.cleanup.policy"),
        new("compression.type", ConfigRule.OneOf([.. BrokerConfigDefinitions.CompressionTypes]), "compression.type"),
        new("delete.retention.ms", ConfigRule.Long(0), "log.cleaner.delete.retention.ms"),
        new("file.delete.delay.ms", ConfigRule.Long(0), "log.segment.delete.delay.ms"),
        new("flush.messages", ConfigRule.Long(1), "log.flush.interval.messages"),
        new("flush.ms", ConfigRule.Long(0), "log.flush.interval.ms"),
        new("index.interval.bytes", ConfigRule.Int(0), "log.index.interval.bytes"),
        new("max.compaction.lag.ms", ConfigRule.Long(1), "log.cleaner.max.compaction.lag.ms"),
        new("max.message.bytes", ConfigRule.Int(0), "message.max.bytes"),
        new("message.timestamp.after.max.ms", ConfigRule.Long(0), "log.message.timestamp.after.max.ms"),
        new("message.timestamp.before.max.ms", ConfigRule.Long(0), "log.message.timestamp.before.max.ms"),
        new("message.timestamp.type", ConfigRule.OneOf([.. BrokerConfigDefinitions.TimestampTypes]), "log.message.timestamp.type"),
        new("min.cleanable.dirty.ratio", ConfigRule.Double(0, 1), "log.cleaner.min.cleanable.ratio"),
        new("min.compaction.lag.ms", ConfigRule.Long(0), "log.cleaner.min.compaction.lag.ms"),
        new("min.insync.replicas", ConfigRule.Int(1), "min.insync.replicas"),
        new("retention.bytes", ConfigRule.Long(-1), "log.retention.bytes"),
        new("retention.ms", ConfigRule.Long(-1), "log.retention.ms"),
        new("segment.bytes", ConfigRule.Int(14), "log.segment.bytes"),
        new("segment.index.bytes", ConfigRule.Int(4), "log.index.size.max.bytes"),
        new("segment.ms", ConfigRule.Long(1), "log.roll.ms"),
        new("segment.jitter.ms", ConfigRule.Long(0), "log.roll.jitter.ms"),
        new("unclean.leader.election.enable", ConfigRule.Bool(), "unclean.leader.election.enable"),
    ];

    private static readonly Dictionary<string, TopicConfigDefinition> ByName =
        All.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public static bool TryGet(string name, out TopicConfigDefinition definition) =>
        ByName.TryGetValue(name, out definition!);

    /// <summary>Checks one topic setting; an unknown name or a bad value gives an error for the client.</summary>
    public static bool TryValidate(string name, string? value, out string error)
    {
        if (!ByName.TryGetValue(name, out var definition))
        {
            error = $"unknown topic config {name}";
            return false;
        }

        if (!definition.Rule.TryNormalize(value, out _))
        {
            error = $"invalid value for {name}: '{value}' (expected {definition.Rule.Expected})";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Every topic setting's value: the override when given, otherwise the broker's setting.</summary>
    /// <remarks>Overrides are expected to be validated already; unknown names are ignored.</remarks>
    public static IReadOnlyDictionary<string, string> Effective(BrokerOptions broker, IReadOnlyDictionary<string, string> overrides)
    {
        var result = new Dictionary<string, string>(All.Count, StringComparer.Ordinal);
        foreach (var entry in Describe(broker, overrides))
        {
            if (entry.Value is not null)
                result[entry.Name] = entry.Value;
        }

        return result;
    }

    /// <summary>Every topic setting with its effective value and its source, for DescribeConfigs.</summary>
    public static IReadOnlyList<TopicConfigEntry> Describe(BrokerOptions broker, IReadOnlyDictionary<string, string> overrides)
    {
        var entries = new List<TopicConfigEntry>(All.Count);
        foreach (var d in All)
        {
            if (overrides.TryGetValue(d.Name, out var overridden))
            {
                var value = d.Rule.TryNormalize(overridden, out var normalized) ? normalized : overridden;
                entries.Add(new TopicConfigEntry(d.Name, value, TopicConfigSource.TopicOverride));
                continue;
            }

            var brokerValue = d.BrokerSynonym is not null && BrokerConfigDefinitions.TryGet(d.BrokerSynonym, out var b)
                ? b.Read(broker)
                : d.DefaultValue;
            var source = brokerValue == d.DefaultValue ? TopicConfigSource.Default : TopicConfigSource.StaticBrokerDefault;
            entries.Add(new TopicConfigEntry(d.Name, brokerValue, source));
        }

        return entries;
    }
}
