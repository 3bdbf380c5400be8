namespace Freshet.Broker.Configuration;

/// <summary>Kafka's ConfigSource codes as DescribeConfigs and CreateTopics report them.</summary>
public enum ConfigSource : sbyte
{
    Unknown = 0,
    DynamicTopicConfig = 1,
    DynamicBrokerConfig = 2,
    DynamicDefaultBrokerConfig = 3,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
}

/// <summary>Kafka's ConfigType codes (DescribeConfigs v3+).</summary>
public enum ConfigType : sbyte
{
    Unknown = 0,
    Boolean = 1,
    String = 2,
    Int = 3,
    Short = 4,
    Long = 5,
    Double = 6,
    List = 7,
    Class = 8,
    Password = 9,
}

/// <summary>One config as the admin APIs show it, whether it belongs to a topic or to the broker.</summary>
public sealed record DescribedConfig(string Name, string? Value, ConfigSource Source, bool IsSensitive, bool ReadOnly, ConfigType Type, string? Documentation)
{
    public bool IsDefault => Source == ConfigSource.DefaultConfig;

    public static IReadOnlyList<DescribedConfig> ForBroker(BrokerOptions options)
    {
        var described = new List<DescribedConfig>();
        foreach (var entry in BrokerConfigDefinitions.Describe(options))
        {
            BrokerConfigDefinitions.TryGet(entry.Name, out var definition);
            described.Add(new DescribedConfig(
                entry.Name,
                entry.Value,
                entry.IsDefault ? ConfigSource.DefaultConfig : ConfigSource.StaticBrokerConfig,
                entry.IsSensitive,
                entry.ReadOnly,
                TypeOf(definition?.Rule),
                definition?.Documentation));
        }
        return described;
    }

    public static IReadOnlyList<DescribedConfig> ForTopic(BrokerOptions options, IReadOnlyDictionary<string, string> overrides)
    {
        var described = new List<DescribedConfig>();
        foreach (var entry in TopicConfigDefinitions.Describe(options, overrides))
        {
            TopicConfigDefinitions.TryGet(entry.Name, out var definition);
            var source = entry.Source switch
            {
                TopicConfigSource.TopicOverride => ConfigSource.DynamicTopicConfig,
                TopicConfigSource.StaticBrokerDefault => ConfigSource.StaticBrokerConfig,
                _ => ConfigSource.DefaultConfig,
            };
            described.Add(new DescribedConfig(entry.Name, entry.Value, source, entry.IsSensitive, entry.ReadOnly, TypeOf(definition?.Rule), null));
        }
        return described;
    }

    private static ConfigType TypeOf(ConfigRule? rule) => rule?.Type switch
    {
        "BOOLEAN" => ConfigType.Boolean,
        "STRING" => ConfigType.String,
        "INT" => ConfigType.Int,
        "SHORT" => ConfigType.Short,
        "LONG" => ConfigType.Long,
        "DOUBLE" => ConfigType.Double,
        "LIST" => ConfigType.List,
        "PASSWORD" => ConfigType.Password,
        _ => ConfigType.Unknown,
    };
}
