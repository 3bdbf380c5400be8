using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Freshet.Metadata.Image;
using Freshet.Protocol.Primitives;

namespace Freshet.Broker.Topics;

/// <summary>
/// The topics of the cluster as the latest metadata image has them, indexed by name and by id. The image is
/// the only source: topics change by records the controller commits, and this catalog follows each new image.
/// </summary>
internal sealed class TopicCatalog
{
    private static readonly IReadOnlyDictionary<string, string> NoOverrides = FrozenDictionary<string, string>.Empty;

    private volatile View _current = new(MetadataImage.Empty, FrozenDictionary<string, TopicDefinition>.Empty, FrozenDictionary<KafkaUuid, TopicDefinition>.Empty, []);

    public int Count => _current.ByName.Count;

    /// <summary>The image the catalog was last built from.</summary>
    public MetadataImage Image => _current.Image;

    /// <summary>Rebuilds the catalog from a newer image; readers see either the old catalog or the new one.</summary>
    public void Apply(MetadataImage image)
    {
        var byName = new Dictionary<string, TopicDefinition>(image.TopicsById.Count, StringComparer.Ordinal);
        var byId = new Dictionary<KafkaUuid, TopicDefinition>(image.TopicsById.Count);
        var previous = _current;
        foreach (var topic in image.TopicsById.Values)
        {
            var overrides = image.Configs.TryGetValue(new ConfigResource(ConfigResource.TopicType, topic.Name), out var configs)
                ? (IReadOnlyDictionary<string, string>)configs
                : NoOverrides;
            // Reuse the old definition when nothing changed, so references held by handlers stay equal.
            var definition = previous.ById.TryGetValue(topic.Id, out var old) && old.PartitionCount == topic.Partitions.Count && ReferenceEquals(old.ConfigOverrides, overrides)
                ? old
                : new TopicDefinition(topic.Name, topic.Id, topic.Partitions.Count, overrides);
            byName[topic.Name] = definition;
            byId[topic.Id] = definition;
        }
        var sorted = byName.Values.ToList();
        sorted.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        _current = new View(image, byName.ToFrozenDictionary(StringComparer.Ordinal), byId.ToFrozenDictionary(), sorted);
    }

    public bool TryGet(string name, [NotNullWhen(true)] out TopicDefinition? topic) => _current.ByName.TryGetValue(name, out topic);

    public bool TryGet(KafkaUuid id, [NotNullWhen(true)] out TopicDefinition? topic) => _current.ById.TryGetValue(id, out topic);

    /// <summary>Every topic, sorted by name so Metadata answers are stable.</summary>
    public IReadOnlyList<TopicDefinition> Snapshot() => _current.Sorted;

    private sealed record View(
        MetadataImage Image,
        FrozenDictionary<string, TopicDefinition> ByName,
        FrozenDictionary<KafkaUuid, TopicDefinition> ById,
        IReadOnlyList<TopicDefinition> Sorted);
}
