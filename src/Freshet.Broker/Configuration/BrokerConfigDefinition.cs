namespace Freshet.Broker.Configuration;

/// <summary>
/// One broker setting: its Kafka name, type and allowed values, how it is stored in
/// <see cref="BrokerOptions"/> and how the stored value reads back for DescribeConfigs.
/// </summary>
public sealed class BrokerConfigDefinition
{
    private readonly Action<BrokerOptions, string> _apply;
    private readonly Func<BrokerOptions, string?> _read;

    internal BrokerConfigDefinition(
        string name,
        ConfigRule rule,
        Action<BrokerOptions, string> apply,
        Func<BrokerOptions, string?> read,
        string documentation,
        string? synonymOf = null,
        bool isSensitive = false)
    {
        Name = name;
        Rule = rule;
        _apply = apply;
        _read = read;
        Documentation = documentation;
        SynonymOf = synonymOf;
        IsSensitive = isSensitive;
        DefaultValue = read(new BrokerOptions());
    }

    /// <summary>The Kafka property name.</summary>
    public string Name { get; }

    public ConfigRule Rule { get; }

    public string Documentation { get; }

    /// <summary>The value with no setting given, as DescribeConfigs shows it.</summary>
    public string? DefaultValue { get; }

    /// <summary>
    /// The setting this one is a lower-precedence spelling of (log.retention.hours → log.retention.ms,
    /// log.dir → log.dirs); null for a primary setting.
    /// </summary>
    public string? SynonymOf { get; }

    public bool IsSensitive { get; }

    /// <summary>Freshet does not change broker settings at run time yet, so every setting is read-only.</summary>
    public bool ReadOnly => true;

    /// <summary>The current value in <paramref name="options"/>, formatted as Kafka formats it.</summary>
    public string? Read(BrokerOptions options) => _read(options);

    /// <summary>Validates <paramref name="value"/> and stores it; throws <see cref="ConfigException"/>.</summary>
    public void Apply(BrokerOptions options, string value) => _apply(options, Rule.Normalize(Name, value));
}
