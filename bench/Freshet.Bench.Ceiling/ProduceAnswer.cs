using Freshet.Protocol.Messages;

namespace Freshet.Bench.Ceiling;

/// <summary>Produce: offsets assigned, nothing validated or written; no answer for acks=0.</summary>
internal static class ProduceAnswer
{
    public static ProduceResponse? Handle(ProduceRequest request, CeilingTopics topics)
    {
        var response = new ProduceResponse();
        foreach (var data in request.TopicData)
        {
            var topic = topics.Find(data.Name, default);
            var answer = new ProduceResponse.TopicProduceResponse { Name = data.Name };
            foreach (var p in data.PartitionData)
            {
                var partition = topic?.Partition(p.Index);
                var baseOffset = partition is null || p.Records is not { } records ? -1 : partition.Append(records.Span);
                answer.PartitionResponses.Add(new ProduceResponse.PartitionProduceResponse
                {
                    Index = p.Index,
                    ErrorCode = (short)(partition is null ? ErrorCode.UnknownTopicOrPartition : ErrorCode.None),
                    BaseOffset = baseOffset,
                    LogStartOffset = 0,
                });
            }

            response.Responses.Add(answer);
        }

        topics.DataArrived.Pulse();
        return request.Acks == 0 ? null : response;
    }
}
