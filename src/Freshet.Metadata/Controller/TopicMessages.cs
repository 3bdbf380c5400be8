using System.Collections.Immutable;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Controller;

/// <summary>
/// A topic to create. Without <see cref="Assignments"/> the controller places
/// <see cref="NumPartitions"/> × <see cref="ReplicationFactor"/> replicas; the broker fills in its
/// num.partitions / default.replication.factor defaults before asking.
/// </summary>
public sealed record CreateTopicSpec(
    string Name,
    int NumPartitions,
    short ReplicationFactor,
    IReadOnlyList<IReadOnlyList<int>>? Assignments = null,
    IReadOnlyDictionary<string, string>? Configs = null,
    bool ValidateOnly = false);

/// <summary>The new topic's id and, per partition, its replicas (leader first).</summary>
public sealed record CreateTopicReply(ErrorCode Error, string? Message, KafkaUuid TopicId, IReadOnlyList<ImmutableArray<int>> Assignments)
{
    public static CreateTopicReply Failed(ErrorCode error, string? message) => new(error, message, KafkaUuid.Zero, []);
}

/// <summary>Set a config key to a value, or delete it when <see cref="Value"/> is null.</summary>
public readonly record struct ConfigChange(string Name, string? Value);
