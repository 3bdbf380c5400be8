namespace Freshet.Broker.Configuration;

/// <summary>A setting has a value Freshet cannot use; the message names the property and the value.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigException()
    {
    }

    public ConfigException(string propertyName, string? value, string expected)
        : base($"invalid value for {propertyName}: '{value}' ({expected})")
    {
        PropertyName = propertyName;
        Value = value;
    }

    /// <summary>The Kafka property name, when the error is about one value.</summary>
    public string? PropertyName { get; }

    public string? Value { get; }
}
