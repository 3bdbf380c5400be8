using Freshet.Broker.Requests;
using Freshet.Metadata.Log;
using Freshet.Metadata.Quorum;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Fetch of the committed metadata log (<c>__cluster_metadata-0</c>) from a controller, dedicated or combined: serves
/// broker-only nodes, waiting up to MaxWaitMs for a new entry as a Fetch long poll does. An observer behind the
/// entries this controller keeps is told the snapshot to fetch instead (the tagged SnapshotId), as Kafka's
/// controllers do. Every answer names the active controller (CurrentLeader). On a dedicated controller it is the Fetch
/// handler; on a combined node the broker's Fetch handler hands it the fetches of the metadata log.
/// </summary>
internal sealed class MetadataLogFetchHandler(ControllerQuorum quorum) : ApiHandler<FetchRequest>
{
    // Large enough for any entry; an observer asks for less when it wants less.
    private const int MaxResponseBytes = 8 * 1024 * 1024;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    public override ApiKey Key => ApiKey.Fetch;

    public override short MinVersion => MetadataLogFormat.FetchVersion;

    public override short MaxVersion => MetadataLogFormat.FetchVersion;

    /// <summary>True for a fetch of the metadata log alone, at the version observers send.</summary>
    public static bool IsMetadataLogFetch(RequestContext context, FetchRequest request) =>
        context.ApiVersion == MetadataLogFormat.FetchVersion && request.Topics.Count == 1 && request.Topics[0].Topic == MetadataLogFormat.TopicName;

    /// <summary>Answers a fetch of the metadata log that a combined node's Fetch handler passed on.</summary>
    public ValueTask<IResponseMessage?> ServeAsync(RequestContext context, FetchRequest request) => HandleAsync(context, request);

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, FetchRequest request)
    {
        var response = new FetchResponse();
        foreach (var topic in request.Topics)
        {
            var topicResponse = new FetchResponse.FetchableTopicResponse { Topic = topic.Topic };
            response.Responses.Add(topicResponse);
            foreach (var partition in topic.Partitions)
            {
                if (topic.Topic != MetadataLogFormat.TopicName || partition.Partition != 0)
                {
                    topicResponse.Partitions.Add(new FetchResponse.PartitionData { PartitionIndex = partition.Partition, ErrorCode = (short)ErrorCode.UnknownTopicOrPartition });
                    continue;
                }
                var maxBytes = Math.Clamp(Math.Min(partition.PartitionMaxBytes, request.MaxBytes), 1, MaxResponseBytes);
                var wait = TimeSpan.FromMilliseconds(Math.Clamp(request.MaxWaitMs, 0, (int)MaxWait.TotalMilliseconds));
                var read = await quorum.LogReader.ReadAsync(partition.FetchOffset, maxBytes, wait, context.Closing).ConfigureAwait(false);
                topicResponse.Partitions.Add(ToPartitionData(read));
            }
        }
        return response;
    }

    private FetchResponse.PartitionData ToPartitionData(MetadataLogRead read)
    {
        var data = new FetchResponse.PartitionData
        {
            PartitionIndex = 0,
            HighWatermark = read.Image.Offset + 1,
            LastStableOffset = read.Image.Offset + 1,
            LogStartOffset = 0,
            CurrentLeader = new FetchResponse.LeaderIdAndEpoch { LeaderId = quorum.LeaderId ?? -1, LeaderEpoch = 0 },
            Records = read.Entries.Count > 0 ? MetadataLogFormat.EncodeEntries(read.Entries) : ReadOnlyMemory<byte>.Empty,
        };
        if (read.SnapshotRequired)
        {
            data.SnapshotId = new FetchResponse.SnapshotId { EndOffset = read.SnapshotEndOffset, Epoch = 0 };
        }
        return data;
    }
}
