using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Bench.Ceiling;

/// <summary>
/// Fetch: batches copied out of memory, up to the request's byte limits; with nothing to send, the request waits for
/// the next append anywhere or for max.wait.ms, as a broker's fetch purgatory would make it.
/// </summary>
internal static class FetchAnswer
{
    public static async ValueTask<FetchResponse> HandleAsync(FetchRequest request, CeilingTopics topics, PooledBufferWriter records, short version)
    {
        var deadline = Environment.TickCount64 + request.MaxWaitMs;
        while (true)
        {
            var arrived = topics.DataArrived.Next;
            records.Reset();
            var response = Build(request, topics, records, version);
            var wait = deadline - Environment.TickCount64;
            if (records.WrittenCount >= Math.Max(request.MinBytes, 1) || wait <= 0)
                return response;
            await Task.WhenAny(arrived, Task.Delay((int)wait));
        }
    }

    private static FetchResponse Build(FetchRequest request, CeilingTopics topics, PooledBufferWriter records, short version)
    {
        var response = new FetchResponse();
        var budget = request.MaxBytes;
        // Each partition's records are sliced out of one buffer once it is complete, since writing may move it.
        var slices = new List<(FetchResponse.PartitionData Data, int Start, int Length)>();
        foreach (var wanted in request.Topics)
        {
            var topic = topics.Find(version >= 13 ? null : wanted.Topic, version >= 13 ? wanted.TopicId : KafkaUuid.Zero);
            var answer = new FetchResponse.FetchableTopicResponse { Topic = wanted.Topic, TopicId = wanted.TopicId };
            foreach (var p in wanted.Partitions)
            {
                var partition = topic?.Partition(p.Partition);
                var data = new FetchResponse.PartitionData
                {
                    PartitionIndex = p.Partition,
                    ErrorCode = (short)(partition is null ? (version >= 13 ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition) : ErrorCode.None),
                    HighWatermark = partition?.NextOffset ?? -1,
                    LastStableOffset = partition?.NextOffset ?? -1,
                    LogStartOffset = 0,
                };
                if (partition is not null && budget > 0)
                {
                    var start = records.WrittenCount;
                    var length = partition.Read(p.FetchOffset, Math.Min(p.PartitionMaxBytes, budget), records);
                    budget -= length;
                    slices.Add((data, start, length));
                }

                answer.Partitions.Add(data);
            }

            response.Responses.Add(answer);
        }

        var all = records.WrittenMemory;
        foreach (var (data, start, length) in slices)
            data.Records = all.Slice(start, length);
        return response;
    }
}
