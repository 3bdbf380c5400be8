using Freshet.Broker.Groups;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>
/// The outcome of an OffsetCommit or TxnOffsetCommit by partition: the coordinator's error for each entry it was
/// given, UNKNOWN_TOPIC_OR_PARTITION for a requested partition the handler left out because this broker lacks it.
/// </summary>
internal sealed class CommitResults(IReadOnlyList<OffsetCommitEntry> entries, IReadOnlyList<ErrorCode> errors)
{
    private readonly Dictionary<TopicPartition, ErrorCode> _byPartition = Index(entries, errors);

    public ErrorCode For(string topic, int partition) =>
        _byPartition.TryGetValue(new TopicPartition(topic, partition), out var error) ? error : ErrorCode.UnknownTopicOrPartition;

    private static Dictionary<TopicPartition, ErrorCode> Index(IReadOnlyList<OffsetCommitEntry> entries, IReadOnlyList<ErrorCode> errors)
    {
        var byPartition = new Dictionary<TopicPartition, ErrorCode>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            byPartition[entries[i].Partition] = errors[i];
        }
        return byPartition;
    }
}
