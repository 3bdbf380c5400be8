namespace Freshet.Broker.Configuration;

/// <summary>One row of a broker's effective configuration, in DescribeConfigs' terms.</summary>
public sealed record BrokerConfigEntry(string Name, string? Value, bool IsDefault, bool IsSensitive, bool ReadOnly);
