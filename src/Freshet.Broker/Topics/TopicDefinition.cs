using Freshet.Protocol.Primitives;

namespace Freshet.Broker.Topics;

/// <summary>A topic as the cluster knows it: id, partition count and its config overrides.</summary>
internal sealed record TopicDefinition(string Name, KafkaUuid Id, int PartitionCount, IReadOnlyDictionary<string, string> ConfigOverrides)
{
    /// <summary>Topics whose name starts with "__" belong to the broker (offsets, transactions).</summary>
    public bool IsInternal => Name.StartsWith("__", StringComparison.Ordinal);
}
