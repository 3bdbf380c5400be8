using Freshet.Broker.InterBroker;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Transactions;

/// <summary>
/// Writes each marker on its partition's current leader: in-process when that is this broker, through the
/// destination's <see cref="TxnMarkerChannel"/> otherwise. Until the leader acknowledges, a marker is retried with
/// backoff, looking the leader up afresh each time, on NOT_LEADER_OR_FOLLOWER, a lost connection, a partition
/// without a leader and the other errors Kafka's marker handler retries; it is given up when the topic no longer
/// exists (UNKNOWN_TOPIC_OR_PARTITION: the marker is not needed), on an error that retrying cannot fix
/// (TRANSACTION_COORDINATOR_FENCED: this coordinator was deposed), or when the coordinator cancels it.
/// </summary>
internal sealed class ClusterTxnMarkerWriter(
    ITxnMarkerWriter local, IPartitionLeaderLookup leaders, IBrokerDirectory directory, Func<string, bool> topicExists, TxnMarkerRetry retry)
    : ITxnMarkerWriter, IAsyncDisposable
{
    private const string ClientId = "freshet-txn-marker-sender";

    private readonly Dictionary<int, TxnMarkerChannel> _channels = [];

    public async ValueTask<ErrorCode> WriteAsync(
        TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch, bool commit, CancellationToken cancellation)
    {
        var backoff = retry.InitialBackoff;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!topicExists(partition.Topic))
            {
                return ErrorCode.UnknownTopicOrPartition;
            }
            var error = !leaders.TryGetLeader(partition, out var leader) || leader < 0 ? ErrorCode.LeaderNotAvailable
                : leader == directory.LocalBrokerId ? await local.WriteAsync(partition, producerId, producerEpoch, coordinatorEpoch, commit, cancellation).ConfigureAwait(false)
                : await ChannelTo(leader).SendAsync(new QueuedTxnMarker(partition, producerId, producerEpoch, coordinatorEpoch, commit, cancellation)).ConfigureAwait(false);
            if (!IsRetriable(error))
            {
                return error;
            }
            await Task.Delay(backoff, cancellation).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, retry.MaxBackoff.Ticks));
        }
    }

    // Kafka's TransactionMarkerRequestCompletionHandler retries these; UNKNOWN_TOPIC_OR_PARTITION from a broker means it
    // has not caught up with the metadata yet (a partition really gone is found out by the lookup above).
    private static bool IsRetriable(ErrorCode error) => error is ErrorCode.NotLeaderOrFollower or ErrorCode.LeaderNotAvailable
        or ErrorCode.UnknownTopicOrPartition or ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend
        or ErrorCode.RequestTimedOut or ErrorCode.NetworkException or ErrorCode.KafkaStorageError or ErrorCode.CoordinatorLoadInProgress;

    // Under a lock rather than GetOrAdd: a channel starts its sender, so exactly one may be made per broker.
    private TxnMarkerChannel ChannelTo(int brokerId)
    {
        lock (_channels)
        {
            if (!_channels.TryGetValue(brokerId, out var channel))
            {
                _channels[brokerId] = channel = new TxnMarkerChannel(brokerId, directory, ClientId);
            }
            return channel;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<TxnMarkerChannel> channels;
        lock (_channels)
        {
            channels = [.. _channels.Values];
            _channels.Clear();
        }
        foreach (var channel in channels)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>How a marker's attempts are spaced: from the initial backoff, doubling up to the maximum.</summary>
internal sealed record TxnMarkerRetry(TimeSpan InitialBackoff, TimeSpan MaxBackoff)
{
    /// <summary>Kafka's retry.backoff.ms (100 ms) and retry.backoff.max.ms (1 s).</summary>
    public static readonly TxnMarkerRetry Default = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
}
