using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Bench.Ceiling;

/// <summary>
/// The ceiling's answers to everything but Produce and Fetch: just enough for librdkafka to find the one broker, its
/// topics and its coordinator. Versions advertised are the full generated ranges (Fetch from v4), as Freshet's are.
/// </summary>
internal static class CeilingAnswers
{
    public const int NodeId = 1;

    public static readonly (ApiKey Key, short Min)[] Served =
    [
        (ApiKey.ApiVersions, 0), (ApiKey.Metadata, 0), (ApiKey.Produce, 3), (ApiKey.Fetch, 4),
        (ApiKey.ListOffsets, 0), (ApiKey.CreateTopics, 0), (ApiKey.FindCoordinator, 0),
    ];

    public static ApiVersionsResponse ApiVersions(bool supported)
    {
        var response = new ApiVersionsResponse { ErrorCode = (short)(supported ? ErrorCode.None : ErrorCode.UnsupportedVersion) };
        foreach (var (key, min) in Served)
            response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = (short)key, MinVersion = min, MaxVersion = ApiCatalog.Get(key).HighestVersion });
        return response;
    }

    public static MetadataResponse Metadata(MetadataRequest request, CeilingTopics topics, string host, int port)
    {
        var response = new MetadataResponse { ClusterId = "freshet-ceiling", ControllerId = NodeId };
        response.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = NodeId, Host = host, Port = port });
        if (request.Topics is null)
        {
            foreach (var topic in topics.All)
                response.Topics.Add(Describe(topic));
            return response;
        }

        foreach (var wanted in request.Topics)
        {
            response.Topics.Add(topics.Find(wanted.Name, wanted.TopicId) is { } topic
                ? Describe(topic)
                : new MetadataResponse.MetadataResponseTopic { Name = wanted.Name, TopicId = wanted.TopicId, ErrorCode = (short)ErrorCode.UnknownTopicOrPartition });
        }

        return response;
    }

    public static CreateTopicsResponse CreateTopics(CreateTopicsRequest request, CeilingTopics topics)
    {
        var response = new CreateTopicsResponse();
        foreach (var wanted in request.Topics)
        {
            var partitions = wanted.NumPartitions > 0 ? wanted.NumPartitions : 1;
            var created = topics.TryCreate(wanted.Name, partitions, out var topic);
            response.Topics.Add(new CreateTopicsResponse.CreatableTopicResult
            {
                Name = wanted.Name,
                TopicId = topic.Id,
                ErrorCode = (short)(created ? ErrorCode.None : ErrorCode.TopicAlreadyExists),
                ErrorMessage = created ? null : "Topic already exists.",
                NumPartitions = topic.Partitions.Length,
                ReplicationFactor = 1,
            });
        }

        return response;
    }

    public static FindCoordinatorResponse FindCoordinator(FindCoordinatorRequest request, string host, int port)
    {
        var response = new FindCoordinatorResponse { NodeId = NodeId, Host = host, Port = port, ErrorMessage = null };
        foreach (var key in request.CoordinatorKeys)
            response.Coordinators.Add(new FindCoordinatorResponse.Coordinator { Key = key, NodeId = NodeId, Host = host, Port = port, ErrorMessage = null });
        return response;
    }

    public static ListOffsetsResponse ListOffsets(ListOffsetsRequest request, CeilingTopics topics)
    {
        var response = new ListOffsetsResponse();
        foreach (var wanted in request.Topics)
        {
            var topic = topics.Find(wanted.Name, KafkaUuid.Zero);
            var answer = new ListOffsetsResponse.ListOffsetsTopicResponse { Name = wanted.Name };
            foreach (var p in wanted.Partitions)
            {
                var partition = topic?.Partition(p.PartitionIndex);
                // -2 is the earliest offset, anything else is answered with the end: the ceiling keeps no timestamps.
                var offset = partition is null ? -1 : p.Timestamp == -2 ? 0 : partition.NextOffset;
                answer.Partitions.Add(new ListOffsetsResponse.ListOffsetsPartitionResponse
                {
                    PartitionIndex = p.PartitionIndex,
                    ErrorCode = (short)(partition is null ? ErrorCode.UnknownTopicOrPartition : ErrorCode.None),
                    Offset = offset,
                    OldStyleOffsets = offset >= 0 ? [offset] : [],
                    LeaderEpoch = 0,
                });
            }

            response.Topics.Add(answer);
        }

        return response;
    }

    private static MetadataResponse.MetadataResponseTopic Describe(CeilingTopic topic)
    {
        var described = new MetadataResponse.MetadataResponseTopic { Name = topic.Name, TopicId = topic.Id };
        for (var i = 0; i < topic.Partitions.Length; i++)
        {
            described.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = i,
                LeaderId = NodeId,
                LeaderEpoch = 0,
                ReplicaNodes = [NodeId],
                IsrNodes = [NodeId],
            });
        }

        return described;
    }
}
