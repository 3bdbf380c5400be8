using Freshet.Broker.Requests;
using Freshet.Metadata.Log;
using Freshet.Metadata.Quorum;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// FetchSnapshot on a dedicated controller: the metadata image at a snapshot id's end offset, encoded as the
/// metadata log's records, sent from Position on in pieces of at most MaxBytes. A snapshot this controller no longer
/// keeps answers SNAPSHOT_NOT_FOUND, and the observer fetches the log again to learn the current one.
/// </summary>
internal sealed class FetchSnapshotHandler(ControllerQuorum quorum, string clusterId) : ApiHandler<FetchSnapshotRequest>
{
    public override ApiKey Key => ApiKey.FetchSnapshot;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, FetchSnapshotRequest request)
    {
        if (request.ClusterId is { } asked && asked != clusterId)
        {
            return ValueTask.FromResult<IResponseMessage?>(new FetchSnapshotResponse { ErrorCode = (short)ErrorCode.InconsistentClusterId });
        }
        var response = new FetchSnapshotResponse();
        foreach (var topic in request.Topics)
        {
            var topicResponse = new FetchSnapshotResponse.TopicSnapshot { Name = topic.Name };
            response.Topics.Add(topicResponse);
            foreach (var partition in topic.Partitions)
            {
                topicResponse.Partitions.Add(Serve(topic.Name, partition, request.MaxBytes));
            }
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }

    private FetchSnapshotResponse.PartitionSnapshot Serve(string topic, FetchSnapshotRequest.PartitionSnapshot partition, int maxBytes)
    {
        var result = new FetchSnapshotResponse.PartitionSnapshot
        {
            Index = partition.Partition,
            SnapshotId = new FetchSnapshotResponse.SnapshotId { EndOffset = partition.SnapshotId.EndOffset, Epoch = partition.SnapshotId.Epoch },
            CurrentLeader = new FetchSnapshotResponse.LeaderIdAndEpoch { LeaderId = quorum.LeaderId ?? -1, LeaderEpoch = 0 },
        };
        if (topic != MetadataLogFormat.TopicName || partition.Partition != 0)
        {
            result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
            return result;
        }
        var snapshot = quorum.LogReader.Snapshot(partition.SnapshotId.EndOffset);
        if (snapshot is null)
        {
            result.ErrorCode = (short)ErrorCode.SnapshotNotFound;
            return result;
        }
        if (partition.Position < 0 || partition.Position > snapshot.Length)
        {
            result.ErrorCode = (short)ErrorCode.PositionOutOfRange;
            return result;
        }
        var position = (int)partition.Position;
        var length = Math.Min(Math.Max(maxBytes, 1), snapshot.Length - position);
        result.Size = snapshot.Length;
        result.Position = position;
        result.UnalignedRecords = snapshot.AsMemory(position, length);
        return result;
    }
}
