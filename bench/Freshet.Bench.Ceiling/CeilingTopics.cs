using System.Collections.Concurrent;
using Freshet.Protocol.Primitives;

namespace Freshet.Bench.Ceiling;

/// <summary>The ceiling's topics: a name, an id and partitions, created by CreateTopics only.</summary>
internal sealed class CeilingTopics
{
    private readonly ConcurrentDictionary<string, CeilingTopic> _byName = new();
    private readonly ConcurrentDictionary<KafkaUuid, CeilingTopic> _byId = new();

    public DataSignal DataArrived { get; } = new();

    public IEnumerable<CeilingTopic> All => _byName.Values;

    /// <returns>False when the topic already exists.</returns>
    public bool TryCreate(string name, int partitions, out CeilingTopic topic)
    {
        var created = new CeilingTopic(name, KafkaUuid.NewRandom(), partitions);
        topic = _byName.GetOrAdd(name, created);
        if (!ReferenceEquals(topic, created))
            return false;
        _byId[topic.Id] = topic;
        return true;
    }

    public CeilingTopic? Find(string? name, KafkaUuid id) =>
        !id.IsZero ? _byId.GetValueOrDefault(id) : name is null ? null : _byName.GetValueOrDefault(name);
}

internal sealed class CeilingTopic(string name, KafkaUuid id, int partitions)
{
    public string Name { get; } = name;

    public KafkaUuid Id { get; } = id;

    public CeilingPartition[] Partitions { get; } = Enumerable.Range(0, partitions).Select(_ => new CeilingPartition()).ToArray();

    public CeilingPartition? Partition(int index) => (uint)index < (uint)Partitions.Length ? Partitions[index] : null;
}
