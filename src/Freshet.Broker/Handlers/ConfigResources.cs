using System.Globalization;
using Freshet.Broker.Configuration;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>The resource types of the config APIs and the answers that do not depend on a topic.</summary>
internal static class ConfigResources
{
    public const sbyte Topic = 2;
    public const sbyte Broker = 4;

    /// <summary>
    /// Freshet has no dynamic broker configs yet, so any change to one is refused as Kafka
    /// refuses a config it cannot update dynamically (INVALID_REQUEST, KAFKA-13609); an empty
    /// change is a no-op that succeeds.
    /// </summary>
    public static (ErrorCode Error, string? Message) AlterBroker(BrokerOptions options, string resourceName, IReadOnlyCollection<string> names)
    {
        var nodeId = options.NodeId.ToString(CultureInfo.InvariantCulture);
        if (resourceName.Length > 0 && resourceName != nodeId)
        {
            return (ErrorCode.InvalidRequest, $"Unexpected broker id, expected {nodeId} or empty string, but received {resourceName}.");
        }
        if (names.Count == 0)
        {
            return (ErrorCode.None, null);
        }
        return (ErrorCode.InvalidRequest, $"Cannot update these configs dynamically: {string.Join(", ", names.Order(StringComparer.Ordinal))}. This broker has no dynamic broker configs; set them in its configuration and restart.");
    }

    public static (ErrorCode Error, string? Message) Unsupported(sbyte resourceType) =>
        (ErrorCode.InvalidRequest, $"Resource type {resourceType} cannot be altered on this broker.");

    public static (ErrorCode Error, string? Message) Duplicate(sbyte resourceType, string resourceName) =>
        (ErrorCode.InvalidRequest, $"Resource type {resourceType} named '{resourceName}' appears more than once in the request.");

    /// <summary>The (type, name) pairs that appear more than once; Kafka fails each of them.</summary>
    public static HashSet<(sbyte, string)> Duplicates(IEnumerable<(sbyte Type, string Name)> resources) =>
        resources.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
}
