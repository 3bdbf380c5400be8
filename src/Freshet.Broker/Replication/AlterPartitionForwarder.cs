using Freshet.Broker.Diagnostics;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Freshet.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Broker.Replication;

/// <summary>
/// The channel partitions are created with, forwarding to the controller channel the broker has once it joins a
/// cluster; a single-node broker has no followers and so never proposes an ISR change. Every proposal and its
/// outcome is logged, as Kafka's leaders log theirs: an ISR that does not grow back is diagnosed from these lines.
/// </summary>
internal sealed class AlterPartitionForwarder(ILogger? logger = null) : IAlterPartitionChannel
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private IAlterPartitionChannel? _target;

    public IAlterPartitionChannel? Target
    {
        get => Volatile.Read(ref _target);
        set => Volatile.Write(ref _target, value);
    }

    public async Task<AlterPartitionResult> AlterPartitionAsync(
        TopicPartition id, KafkaUuid topicId, int leaderEpoch, int partitionEpoch, IReadOnlyList<int> newIsr, CancellationToken cancellationToken)
    {
        var target = Target ?? throw new InvalidOperationException("This broker has no controller to send ISR changes to.");
        var proposed = string.Join(',', newIsr);
        try
        {
            var result = await target.AlterPartitionAsync(id, topicId, leaderEpoch, partitionEpoch, newIsr, cancellationToken).ConfigureAwait(false);
            if (result.Error == ErrorCode.None)
                ReplicationLog.IsrChanged(_logger, id.Topic, id.Partition, string.Join(',', result.Isr), result.LeaderEpoch, result.PartitionEpoch);
            else
                ReplicationLog.IsrChangeRefused(_logger, id.Topic, id.Partition, proposed, leaderEpoch, partitionEpoch, result.Error.ToString());
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ReplicationLog.IsrChangeRefused(_logger, id.Topic, id.Partition, proposed, leaderEpoch, partitionEpoch, e.Message);
            throw;
        }
    }
}
