using System.Runtime.InteropServices;
using Freshet.Broker.Diagnostics;
using Freshet.Broker.InterBroker;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Replication.Fetcher;

internal sealed partial class ReplicaFetcher
{
    private async Task ApplyAsync(BrokerClient client, List<FetchedPartition> batch, FetchResponse response, CancellationToken token)
    {
        foreach (var topic in response.Responses)
        {
            foreach (var data in topic.Partitions)
            {
                var fetched = Find(batch, topic.Topic, data.PartitionIndex);
                if (fetched is null || !IsCurrent(fetched))
                {
                    continue;
                }
                var error = (ErrorCode)data.ErrorCode;
                switch (error)
                {
                    case ErrorCode.None:
                        fetched.Fetched();
                        ApplyRecords(fetched, data);
                        break;
                    case ErrorCode.UnknownLeaderEpoch or ErrorCode.NotLeaderOrFollower:
                        // This broker's image names the source as leader in this epoch; the source has not applied it yet.
                        fetched.PauseForLeaderToCatchUp(NowMs(), _options.ReplicaFetchBackoffMs);
                        break;
                    case ErrorCode.OffsetOutOfRange:
                        await ResetOutOfRangeAsync(client, fetched, token).ConfigureAwait(false);
                        break;
                    default:
                        // NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, UNKNOWN_TOPIC_OR_PARTITION...:
                        // the leader and this broker see different states; the next state from the image resumes it.
                        ReplicationLog.PartitionFetchError(_logger, fetched.Partition.Id.Topic, fetched.Partition.Id.Partition, _sourceBrokerId, error.ToString());
                        fetched.PausedUntilMs = NowMs() + _options.ReplicaFetchBackoffMs;
                        break;
                }
            }
        }
    }

    private void ApplyRecords(FetchedPartition fetched, FetchResponse.PartitionData data)
    {
        var partition = fetched.Partition;
        if (data.DivergingEpoch.EndOffset >= 0 || data.DivergingEpoch.Epoch >= 0)
        {
            TruncateToDivergence(fetched, data.DivergingEpoch.Epoch, data.DivergingEpoch.EndOffset);
            return;
        }
        if (data.Records is { Length: > 0 } records)
        {
            try
            {
                // The response frame belongs to this fetch alone, so its bytes are appended where they lie.
                partition.AppendAsFollower(MemoryMarshal.AsMemory(records).Span, fetched.LeaderEpoch);
            }
            catch (UnexpectedAppendOffsetException)
            {
                // The log moved (truncated) while the fetch was out; the next fetch starts from its end again.
                return;
            }
            catch (Exception e) when (e is CorruptRecordException or KafkaStorageException or IOException)
            {
                ReplicationLog.PartitionFetchError(_logger, partition.Id.Topic, partition.Id.Partition, _sourceBrokerId, e.Message);
                fetched.PausedUntilMs = NowMs() + _options.ReplicaFetchBackoffMs;
                return;
            }
        }
        partition.UpdateFollowerHighWatermark(data.HighWatermark);
        // After the high watermark: the leader's log start is never above it, so the follower can take it whole.
        partition.Log.FollowLeaderLogStartOffset(data.LogStartOffset);
    }

    /// <summary>
    /// The leader's log diverged from this one after <paramref name="leaderEpoch"/>, which ends at
    /// <paramref name="leaderEndOffset"/> there. Truncate to where both logs agree, as Kafka does: if this log has
    /// the epoch too, to the smaller of both end offsets; if it only has an older epoch, to that epoch's end here.
    /// </summary>
    private void TruncateToDivergence(FetchedPartition fetched, int leaderEpoch, long leaderEndOffset)
    {
        var log = fetched.Partition.Log;
        var logEnd = log.LogEndOffset;
        var (localEpoch, localEndOffset) = log.EndOffsetForEpoch(leaderEpoch);
        long target;
        if (localEpoch < 0)
        {
            target = Math.Min(leaderEndOffset, logEnd);
        }
        else if (localEpoch != leaderEpoch)
        {
            target = Math.Min(localEndOffset, logEnd);
        }
        else
        {
            target = Math.Min(Math.Min(leaderEndOffset, localEndOffset), logEnd);
        }
        Truncate(fetched, Math.Max(target, 0), fully: false, "diverging epoch");
    }

    /// <summary>
    /// The leader has no offset where this log ends: past its end (truncate to it) or below its start (this log
    /// restarts empty at the leader's start offset).
    /// </summary>
    private async Task ResetOutOfRangeAsync(BrokerClient client, FetchedPartition fetched, CancellationToken token)
    {
        var log = fetched.Partition.Log;
        var leaderEnd = await ListOffsetAsync(client, fetched, ListOffsetsLatest, token).ConfigureAwait(false);
        if (leaderEnd is null)
        {
            fetched.PausedUntilMs = NowMs() + _options.ReplicaFetchBackoffMs;
            return;
        }
        if (leaderEnd < log.LogEndOffset)
        {
            Truncate(fetched, leaderEnd.Value, fully: false, "offset out of range at the leader");
            return;
        }
        var leaderStart = await ListOffsetAsync(client, fetched, ListOffsetsEarliest, token).ConfigureAwait(false);
        if (leaderStart is null)
        {
            fetched.PausedUntilMs = NowMs() + _options.ReplicaFetchBackoffMs;
            return;
        }
        if (leaderStart > log.LogEndOffset)
        {
            Truncate(fetched, leaderStart.Value, fully: true, "below the leader's log start");
        }
    }

    private void Truncate(FetchedPartition fetched, long offset, bool fully, string reason)
    {
        var partition = fetched.Partition;
        var before = partition.Log.LogEndOffset;
        try
        {
            if (partition.TruncateAsFollower(offset, fetched.LeaderEpoch, fully))
            {
                ReplicationLog.Truncated(_logger, partition.Id.Topic, partition.Id.Partition, before, partition.Log.LogEndOffset, reason);
            }
        }
        catch (Exception e) when (e is KafkaStorageException or IOException)
        {
            ReplicationLog.PartitionFetchError(_logger, partition.Id.Topic, partition.Id.Partition, _sourceBrokerId, e.Message);
            fetched.PausedUntilMs = NowMs() + _options.ReplicaFetchBackoffMs;
        }
    }

    private bool IsCurrent(FetchedPartition fetched)
    {
        lock (_partitions)
        {
            return _partitions.TryGetValue(fetched.Partition.Id, out var current) && ReferenceEquals(current, fetched);
        }
    }

    private static FetchedPartition? Find(List<FetchedPartition> batch, string topic, int partition)
    {
        foreach (var fetched in batch)
        {
            if (fetched.Partition.Id.Partition == partition && fetched.Partition.Id.Topic == topic)
            {
                return fetched;
            }
        }
        return null;
    }
}
