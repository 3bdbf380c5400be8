using System.Collections.Immutable;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Image;

/// <summary>
/// An immutable view of the cluster metadata after the records up to <see cref="Offset"/> were
/// applied. Readers take a reference and never see it change; a <see cref="MetadataDelta"/> makes the next one.
/// </summary>
public sealed record MetadataImage(
    long Offset,
    ImmutableDictionary<int, BrokerRegistration> Brokers,
    ImmutableDictionary<KafkaUuid, TopicImage> TopicsById,
    ImmutableDictionary<string, KafkaUuid> TopicIdsByName,
    ImmutableDictionary<ConfigResource, ImmutableDictionary<string, string>> Configs,
    long NextProducerId)
{
    /// <summary>Offset of an image no record has been applied to.</summary>
    public const long NoOffset = -1;

    public static readonly MetadataImage Empty = new(
        NoOffset,
        ImmutableDictionary<int, BrokerRegistration>.Empty,
        ImmutableDictionary<KafkaUuid, TopicImage>.Empty,
        ImmutableDictionary<string, KafkaUuid>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<ConfigResource, ImmutableDictionary<string, string>>.Empty,
        0);

    public TopicImage? TopicByName(string name) =>
        TopicIdsByName.TryGetValue(name, out var id) ? TopicsById[id] : null;

    public PartitionImage? Partition(string topic, int partition) =>
        TopicByName(topic) is { } image && image.Partitions.TryGetValue(partition, out var p) ? p : null;
}
