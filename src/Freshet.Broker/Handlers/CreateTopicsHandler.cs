using Freshet.Broker.Cluster;
using Freshet.Broker.Configuration;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>CreateTopics: partitions, replication factor or explicit assignments, configs, validate-only.</summary>
internal sealed class CreateTopicsHandler(TopicAdmin admin, BrokerOptions options) : ApiHandler<CreateTopicsRequest>
{
    private const short FirstVersionWithDetails = 5;

    public override ApiKey Key => ApiKey.CreateTopics;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, CreateTopicsRequest request)
    {
        var allowForward = admin.MayForward(context);
        var response = new CreateTopicsResponse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = request.Topics.GroupBy(t => t.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        // The topics are created concurrently: each is its own controller operation, and this broker makes the
        // partitions of those committed together in one pass instead of one topic's after the other's.
        var pending = new List<(string Name, Task<TopicResult> Result)>(request.Topics.Count);
        foreach (var topic in request.Topics)
        {
            if (!seen.Add(topic.Name))
            {
                continue;
            }
            var result = duplicates.Contains(topic.Name)
                ? Task.FromResult(TopicResult.Fail(ErrorCode.InvalidRequest, $"Topic '{topic.Name}' appears more than once in the request."))
                : CreateAsync(topic, request.ValidateOnly, allowForward, context.Closing);
            pending.Add((topic.Name, result));
        }
        foreach (var (name, result) in pending)
        {
            response.Topics.Add(Describe(name, await result.ConfigureAwait(false), context.ApiVersion));
        }
        return response;
    }

    private async Task<TopicResult> CreateAsync(CreateTopicsRequest.CreatableTopic topic, bool validateOnly, bool allowForward, CancellationToken cancellationToken)
    {
        IReadOnlyList<IReadOnlyList<int>>? assignments = null;
        var partitions = topic.NumPartitions;
        var replicationFactor = topic.ReplicationFactor;
        if (topic.Assignments.Count > 0)
        {
            if (partitions != -1 || replicationFactor != -1)
            {
                return TopicResult.Fail(ErrorCode.InvalidRequest, "Both replica assignments and partition count or replication factor were given.");
            }
            var indexes = topic.Assignments.Select(a => a.PartitionIndex).OrderBy(i => i).ToList();
            if (!indexes.SequenceEqual(Enumerable.Range(0, indexes.Count)))
            {
                return TopicResult.Fail(ErrorCode.InvalidReplicaAssignment, "Partition indexes of the assignment must be 0 to n-1.");
            }
            foreach (var assignment in topic.Assignments)
            {
                if (assignment.BrokerIds.Count == 0 || assignment.BrokerIds.Distinct().Count() != assignment.BrokerIds.Count)
                {
                    return TopicResult.Fail(ErrorCode.InvalidReplicaAssignment, $"Partition {assignment.PartitionIndex} must have distinct replicas.");
                }
            }
            assignments = topic.Assignments.OrderBy(a => a.PartitionIndex).Select(a => (IReadOnlyList<int>)a.BrokerIds).ToList();
        }
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var config in topic.Configs)
        {
            if (config.Value is null)
            {
                return TopicResult.Fail(ErrorCode.InvalidConfig, $"Config '{config.Name}' has a null value.");
            }
            configs[config.Name] = config.Value;
        }
        return await admin.CreateAsync(topic.Name, partitions, replicationFactor, assignments, configs, validateOnly, allowForward, cancellationToken).ConfigureAwait(false);
    }

    private CreateTopicsResponse.CreatableTopicResult Describe(string name, TopicResult result, short version)
    {
        var described = new CreateTopicsResponse.CreatableTopicResult
        {
            Name = name,
            ErrorCode = (short)result.Error,
            ErrorMessage = result.Message,
        };
        if (result.Topic is { } topic && version >= FirstVersionWithDetails)
        {
            described.TopicId = topic.Id;
            described.NumPartitions = topic.PartitionCount;
            described.ReplicationFactor = result.ReplicationFactor;
            described.Configs = [];
            foreach (var entry in DescribedConfig.ForTopic(options, topic.ConfigOverrides))
            {
                described.Configs.Add(new CreateTopicsResponse.CreatableTopicConfigs
                {
                    Name = entry.Name,
                    Value = entry.Value,
                    ReadOnly = entry.ReadOnly,
                    ConfigSource = (sbyte)entry.Source,
                    IsSensitive = entry.IsSensitive,
                });
            }
        }
        return described;
    }
}
