using Freshet.Broker.Replication;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>
/// ListOffsets: earliest (-2), latest (-1), the record with the largest timestamp (-3), or the
/// first offset whose timestamp is at or after a given time (via the time index). Answered by the
/// partition's leader only; latest is the high watermark for clients and the log end for followers.
/// </summary>
internal sealed class ListOffsetsHandler(ReplicaManager replicas) : ApiHandler<ListOffsetsRequest>
{
    public const long Latest = -1;
    public const long Earliest = -2;
    public const long MaxTimestamp = -3;
    public const long EarliestLocal = -4;
    public const long LatestTiered = -5;
    private const sbyte ReadCommitted = 1;

    public override ApiKey Key => ApiKey.ListOffsets;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, ListOffsetsRequest request)
    {
        var response = new ListOffsetsResponse();
        foreach (var topic in request.Topics)
        {
            var topicResponse = new ListOffsetsResponse.ListOffsetsTopicResponse { Name = topic.Name };
            foreach (var wanted in topic.Partitions)
            {
                topicResponse.Partitions.Add(Lookup(topic.Name, wanted, context.ApiVersion, request.IsolationLevel == ReadCommitted, request.ReplicaId >= 0));
            }
            response.Topics.Add(topicResponse);
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }

    private ListOffsetsResponse.ListOffsetsPartitionResponse Lookup(
        string topic, ListOffsetsRequest.ListOffsetsPartition wanted, short version, bool readCommitted, bool fromReplica)
    {
        var result = new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = wanted.PartitionIndex };
        if (!replicas.TryGetPartition(topic, wanted.PartitionIndex, out var partition))
        {
            result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
            return result;
        }
        var leadership = partition.CheckLeaderEpoch(version >= 4 ? wanted.CurrentLeaderEpoch : -1, requireLeader: true);
        if (leadership != ErrorCode.None)
        {
            result.ErrorCode = (short)leadership;
            return result;
        }
        var log = partition.Log;
        if (log.IsOffline)
        {
            result.ErrorCode = (short)ErrorCode.KafkaStorageError;
            return result;
        }
        TimestampOffset? found;
        try
        {
            // read_committed sees offsets below the last stable offset only, read_uncommitted below the high watermark.
            // A follower asks for the leader's log end, to truncate to it.
            var lastFetchable = fromReplica ? log.LogEndOffset : readCommitted ? partition.LastStableOffset : log.HighWatermark;
            found = Find(log, wanted.Timestamp, lastFetchable);
        }
        catch (IOException)
        {
            result.ErrorCode = (short)ErrorCode.KafkaStorageError;
            return result;
        }
        if (wanted.Timestamp < LatestTiered)
        {
            result.ErrorCode = (short)ErrorCode.InvalidRequest;
            return result;
        }
        result.Timestamp = found?.Timestamp ?? -1;
        result.Offset = found?.Offset ?? -1;
        result.LeaderEpoch = found is null ? -1 : partition.LeaderEpoch;
        if (version == 0)
        {
            // Version 0 answers with a list of offsets; an unknown time gives an empty list.
            result.OldStyleOffsets = found is { } hit ? [hit.Offset] : [];
        }
        return result;
    }

    private static TimestampOffset? Find(PartitionLog log, long timestamp, long lastFetchable)
    {
        var found = timestamp switch
        {
            Earliest => new TimestampOffset(-1, log.LogStartOffset),
            Latest => new TimestampOffset(-1, lastFetchable),
            MaxTimestamp => log.LatestTimestamp(),
            // Every segment is local, so the earliest local offset is the log start offset.
            EarliestLocal => new TimestampOffset(-1, log.LogStartOffset),
            // Nothing is tiered: there is no tiered offset to report.
            LatestTiered => null,
            _ when timestamp < 0 => null,
            _ => log.FindOffsetByTimestamp(timestamp),
        };
        return timestamp is Latest or Earliest or EarliestLocal || found is not { } hit || hit.Offset < lastFetchable ? found : null;
    }
}
