using Freshet.Broker.Configuration;
using Freshet.Broker.Diagnostics;
using Freshet.Broker.Replication;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Topics;

/// <summary>
/// Changes a topic's config overrides for AlterConfigs and IncrementalAlterConfigs: the new
/// overrides are saved through the catalog first, then every partition's log takes the new
/// settings, so a restart and the next append see the same values.
/// </summary>
internal sealed class TopicConfigAdmin(TopicCatalog catalog, ReplicaManager replicas, BrokerOptions options, ILogger logger)
{
    // Edits read the overrides and write them back; one at a time, so none is lost.
    private readonly Lock _lock = new();

    /// <summary>Applies <paramref name="edit"/> (current overrides, effective values → new overrides) to the topic.</summary>
    public (ErrorCode Error, string? Message) Alter(
        string name,
        Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>, ConfigEditResult> edit,
        bool validateOnly)
    {
        lock (_lock)
        {
            if (!catalog.TryGet(name, out var topic))
            {
                return (ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
            }
            var result = edit(topic.ConfigOverrides, TopicConfigDefinitions.Effective(options, topic.ConfigOverrides));
            if (result.Error != ErrorCode.None || validateOnly)
            {
                return (result.Error, result.Message);
            }
            var updated = topic with { ConfigOverrides = result.Overrides };
            if (!catalog.TryUpdate(updated))
            {
                return (ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
            }
            replicas.ApplyConfig(updated);
            BrokerLog.TopicConfigsAltered(logger, name, Describe(result.Overrides));
            return (ErrorCode.None, null);
        }
    }

    private static string Describe(IReadOnlyDictionary<string, string> overrides) =>
        overrides.Count == 0 ? "nothing" : string.Join(", ", overrides.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}"));
}
