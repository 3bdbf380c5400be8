using System.Collections.Immutable;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Image;

public sealed record TopicImage(string Name, KafkaUuid Id, ImmutableDictionary<int, PartitionImage> Partitions)
{
    public static TopicImage Create(string name, KafkaUuid id) => new(name, id, ImmutableDictionary<int, PartitionImage>.Empty);
}
