namespace Freshet.Metadata.Image;

/// <summary>A config resource as Kafka keys it: resource type (2 = topic, 4 = broker) and name.</summary>
public readonly record struct ConfigResource(sbyte Type, string Name)
{
    public const sbyte TopicType = 2;
    public const sbyte BrokerType = 4;
}
