using Freshet.Protocol.Messages;

namespace Freshet.Benchmarks;

/// <summary>Representative messages: a few topics and partitions, 16 KiB record payloads.</summary>
internal static class SampleMessages
{
    private static readonly byte[] Batch = new byte[16 * 1024];

    public static ProduceRequest Produce() => new()
    {
        Acks = -1,
        TimeoutMs = 30_000,
        TopicData = [.. Enumerable.Range(0, 2).Select(t => new ProduceRequest.TopicProduceData
        {
            Name = $"topic-{t}",
            PartitionData = [.. Enumerable.Range(0, 4).Select(p => new ProduceRequest.PartitionProduceData { Index = p, Records = Batch })],
        })],
    };

    public static FetchRequest FetchRequest() => new()
    {
        ReplicaId = -1,
        MaxWaitMs = 500,
        MinBytes = 1,
        MaxBytes = 52_428_800,
        SessionEpoch = -1,
        Topics = [.. Enumerable.Range(0, 2).Select(t => new FetchRequest.FetchTopic
        {
            Topic = $"topic-{t}",
            Partitions = [.. Enumerable.Range(0, 4).Select(p => new FetchRequest.FetchPartition
            {
                Partition = p,
                CurrentLeaderEpoch = 3,
                FetchOffset = 1_000_000 + p,
                PartitionMaxBytes = 1_048_576,
            })],
        })],
    };

    public static FetchResponse FetchResponse() => new()
    {
        Responses = [.. Enumerable.Range(0, 2).Select(t => new FetchResponse.FetchableTopicResponse
        {
            Topic = $"topic-{t}",
            Partitions = [.. Enumerable.Range(0, 4).Select(p => new FetchResponse.PartitionData
            {
                PartitionIndex = p,
                HighWatermark = 2_000_000,
                LastStableOffset = 2_000_000,
                Records = Batch,
            })],
        })],
    };

    public static MetadataResponse MetadataResponse() => new()
    {
        ClusterId = "freshet-cluster",
        ControllerId = 1,
        Brokers = [.. Enumerable.Range(0, 3).Select(b => new MetadataResponse.MetadataResponseBroker { NodeId = b, Host = $"broker-{b}", Port = 9092 })],
        Topics = [.. Enumerable.Range(0, 10).Select(t => new MetadataResponse.MetadataResponseTopic
        {
            Name = $"topic-{t}",
            TopicId = new(t + 1, t + 2),
            Partitions = [.. Enumerable.Range(0, 6).Select(p => new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = p,
                LeaderId = p % 3,
                LeaderEpoch = 4,
                ReplicaNodes = [0, 1, 2],
                IsrNodes = [0, 1, 2],
            })],
        })],
    };

    public static ApiVersionsResponse ApiVersionsResponse() => new()
    {
        ApiKeys = [.. ApiCatalog.All.Select(a => new ApiVersionsResponse.ApiVersion
        {
            ApiKey = (short)a.Key,
            MinVersion = a.LowestVersion,
            MaxVersion = a.HighestVersion,
        })],
    };
}
