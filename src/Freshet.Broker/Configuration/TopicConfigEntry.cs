namespace Freshet.Broker.Configuration;

/// <summary>Where a topic's effective setting comes from, as DescribeConfigs reports it.</summary>
public enum TopicConfigSource
{
    /// <summary>Set on the topic (DYNAMIC_TOPIC_CONFIG).</summary>
    TopicOverride,

    /// <summary>From the broker's configuration, which differs from Kafka's default (STATIC_BROKER_CONFIG).</summary>
    StaticBrokerDefault,

    /// <summary>Kafka's default (DEFAULT_CONFIG).</summary>
    Default,
}

/// <summary>One topic setting with its effective value and where it comes from.</summary>
public sealed record TopicConfigEntry(string Name, string? Value, TopicConfigSource Source, bool IsSensitive = false, bool ReadOnly = false);
