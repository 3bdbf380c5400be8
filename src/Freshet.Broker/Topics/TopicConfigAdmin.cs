using Freshet.Broker.Cluster;
using Freshet.Broker.Configuration;
using Freshet.Broker.Diagnostics;
using Freshet.Metadata.Controller;
using Freshet.Metadata.Image;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Topics;

/// <summary>
/// Changes a topic's config overrides for AlterConfigs and IncrementalAlterConfigs on the active controller: the
/// edit is applied to the overrides the metadata image holds, and the difference is committed as config records.
/// Every broker's partitions take the new settings when their image does. Handlers forward these requests to the
/// active controller first, so this runs only there. Two edits of one topic at once each commit their own difference
/// from what they read; the controller applies both, as it does for Kafka's incremental changes.
/// </summary>
internal sealed class TopicConfigAdmin(TopicCatalog catalog, QuorumController? controller, MetadataPublisher publisher, BrokerOptions options, ILogger logger)
{
    private static readonly TimeSpan LocalCatchUp = TimeSpan.FromSeconds(5);

    /// <summary>Applies <paramref name="edit"/> (current overrides, effective values → new overrides) to the topic.</summary>
    public async Task<(ErrorCode Error, string? Message)> AlterAsync(
        string name,
        Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>, ConfigEditResult> edit,
        bool validateOnly,
        CancellationToken cancellationToken)
    {
        if (controller is not { IsActive: true })
        {
            return (ErrorCode.NotController, "This node is not the active controller.");
        }
        if (!catalog.TryGet(name, out var topic))
        {
            return (ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
        }
        var result = edit(topic.ConfigOverrides, TopicConfigDefinitions.Effective(options, topic.ConfigOverrides));
        if (result.Error != ErrorCode.None || validateOnly)
        {
            return (result.Error, result.Message);
        }
        var changes = Differences(topic.ConfigOverrides, result.Overrides);
        if (changes.Count == 0)
        {
            return (ErrorCode.None, null);
        }
        var reply = await controller.AlterConfigsAsync(new ConfigResource(ConfigResource.TopicType, name), changes, validateOnly: false, cancellationToken).ConfigureAwait(false);
        if (reply.Error != ErrorCode.None)
        {
            return (reply.Error, reply.Message);
        }
        BrokerLog.TopicConfigsAltered(logger, name, Describe(result.Overrides));
        await publisher.WaitUntilAsync(
            () => catalog.TryGet(name, out var now) && SameOverrides(now.ConfigOverrides, result.Overrides),
            LocalCatchUp, cancellationToken).ConfigureAwait(false);
        return (ErrorCode.None, null);
    }

    private static List<ConfigChange> Differences(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var changes = new List<ConfigChange>();
        foreach (var (key, value) in after)
        {
            if (!before.TryGetValue(key, out var old) || old != value)
            {
                changes.Add(new ConfigChange(key, value));
            }
        }
        foreach (var key in before.Keys)
        {
            if (!after.ContainsKey(key))
            {
                changes.Add(new ConfigChange(key, null));
            }
        }
        return changes;
    }

    private static bool SameOverrides(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && Differences(a, b).Count == 0;

    private static string Describe(IReadOnlyDictionary<string, string> overrides) =>
        overrides.Count == 0 ? "nothing" : string.Join(", ", overrides.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}"));
}
