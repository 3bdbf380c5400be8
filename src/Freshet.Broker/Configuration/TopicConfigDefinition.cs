namespace Freshet.Broker.Configuration;

/// <summary>
/// A topic-level setting (CreateTopics / AlterConfigs) and the broker setting it falls back to
/// when the topic does not override it.
/// </summary>
public sealed class TopicConfigDefinition
{
    internal TopicConfigDefinition(string name, ConfigRule rule, string? brokerSynonym, string? defaultValue = null)
    {
        Name = name;
        Rule = rule;
        BrokerSynonym = brokerSynonym;
        if (brokerSynonym is not null)
        {
            if (!BrokerConfigDefinitions.TryGet(brokerSynonym, out var broker))
                throw new InvalidOperationException($"topic config {name} names unknown broker config {brokerSynonym}");
            defaultValue = broker.DefaultValue;
        }

        DefaultValue = defaultValue;
    }

    public string Name { get; }

    public ConfigRule Rule { get; }

    /// <summary>The broker setting the value defaults from (retention.ms ← log.retention.ms); null when there is none.</summary>
    public string? BrokerSynonym { get; }

    /// <summary>Kafka's default when neither the topic nor the broker sets it.</summary>
    public string? DefaultValue { get; }
}
