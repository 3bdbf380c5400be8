using Freshet.Broker.Cluster;
using Freshet.Broker.Configuration;
using Freshet.Broker.Diagnostics;
using Freshet.Broker.Requests;
using Freshet.Metadata.Controller;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Topics;

/// <summary>The outcome of a topic operation: a Kafka error code and, on failure, why.</summary>
internal readonly record struct TopicResult(ErrorCode Error, string? Message, TopicDefinition? Topic, short ReplicationFactor = 0)
{
    public static TopicResult Fail(ErrorCode error, string message) => new(error, message, null);
}

/// <summary>
/// Creates and deletes topics for CreateTopics, DeleteTopics, auto-creation on Metadata and the internal topics.
/// The broker checks what it can on its own (names, configs, counts); the active controller places the replicas
/// and commits the records. On a node that is not the active controller the operation is forwarded to it. Once
/// the controller has answered, the call waits (briefly) until this broker's own image shows the change, so the
/// client's next Metadata request here sees it.
/// </summary>
internal sealed class TopicAdmin(TopicCatalog catalog, QuorumController? controller, ControllerChannel channel, MetadataPublisher publisher, BrokerOptions options, ILogger logger)
{
    private const short CreateTopicsVersion = 7;
    private const short DeleteTopicsVersion = 6;
    private static readonly TimeSpan LocalCatchUp = TimeSpan.FromSeconds(5);

    /// <summary>True when a request that reached this node may be forwarded to the active controller.</summary>
    public bool MayForward(RequestContext context) => channel.MayForward(context);

    /// <param name="allowForward">False for a request that was itself forwarded here: it runs here or fails with NOT_CONTROLLER.</param>
    public async Task<TopicResult> CreateAsync(
        string name, int partitions, short replicationFactor, IReadOnlyList<IReadOnlyList<int>>? assignments,
        IReadOnlyDictionary<string, string> configs, bool validateOnly, bool allowForward, CancellationToken cancellationToken)
    {
        if (!TopicNameRules.IsValid(name, out var nameError))
        {
            return TopicResult.Fail(ErrorCode.InvalidTopicException, nameError);
        }
        if (catalog.TryGet(name, out _))
        {
            return TopicResult.Fail(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
        }
        if (assignments is null)
        {
            partitions = partitions == -1 ? options.NumPartitions : partitions;
            replicationFactor = replicationFactor == -1 ? options.DefaultReplicationFactor : replicationFactor;
            if (partitions <= 0)
            {
                return TopicResult.Fail(ErrorCode.InvalidPartitions, $"Number of partitions must be larger than 0 (was {partitions}).");
            }
            if (replicationFactor <= 0)
            {
                return TopicResult.Fail(ErrorCode.InvalidReplicationFactor, $"Replication factor must be larger than 0 (was {replicationFactor}).");
            }
        }
        foreach (var (key, value) in configs)
        {
            if (!TopicConfigDefinitions.TryValidate(key, value, out var configError))
            {
                return TopicResult.Fail(ErrorCode.InvalidConfig, configError);
            }
        }
        var spec = new CreateTopicSpec(name, partitions, replicationFactor, assignments, configs, validateOnly);
        if (controller is { IsActive: true } || !allowForward)
        {
            return await CreateHereAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        var forwarded = await channel.SendAsync(
            ToRequest(spec), CreateTopicsVersion, CreateTopicsResponse.Read,
            async ct => ToCreateResponse(name, await CreateHereAsync(spec, ct).ConfigureAwait(false)),
            r => r.Topics.Count > 0 && r.Topics[0].ErrorCode == (short)ErrorCode.NotController,
            cancellationToken).ConfigureAwait(false);
        var result = forwarded.Topics.Count > 0 ? forwarded.Topics[0] : null;
        if (result is null || result.ErrorCode != (short)ErrorCode.None)
        {
            return TopicResult.Fail(result is null ? ErrorCode.UnknownServerError : (ErrorCode)result.ErrorCode, result?.ErrorMessage ?? "The controller gave no result.");
        }
        if (validateOnly)
        {
            return new TopicResult(ErrorCode.None, null, new TopicDefinition(name, result.TopicId, result.NumPartitions, configs), result.ReplicationFactor);
        }
        var created = await WaitForTopicAsync(name, cancellationToken).ConfigureAwait(false);
        return new TopicResult(ErrorCode.None, null, created ?? new TopicDefinition(name, result.TopicId, result.NumPartitions, configs), result.ReplicationFactor);
    }

    private async Task<TopicResult> CreateHereAsync(CreateTopicSpec spec, CancellationToken cancellationToken)
    {
        if (controller is not { IsActive: true })
        {
            return TopicResult.Fail(ErrorCode.NotController, "This node is not the active controller.");
        }
        var reply = await controller.CreateTopicAsync(spec, cancellationToken).ConfigureAwait(false);
        if (reply.Error != ErrorCode.None)
        {
            return TopicResult.Fail(reply.Error, reply.Message ?? reply.Error.ToString());
        }
        var replicationFactor = (short)(reply.Assignments.Count > 0 ? reply.Assignments[0].Length : spec.ReplicationFactor);
        var definition = new TopicDefinition(spec.Name, reply.TopicId, reply.Assignments.Count, spec.Configs ?? new Dictionary<string, string>());
        if (spec.ValidateOnly)
        {
            return new TopicResult(ErrorCode.None, null, definition, replicationFactor);
        }
        BrokerLog.TopicCreated(logger, spec.Name, reply.TopicId.ToString(), reply.Assignments.Count);
        var created = await WaitForTopicAsync(spec.Name, cancellationToken).ConfigureAwait(false);
        return new TopicResult(ErrorCode.None, null, created ?? definition, replicationFactor);
    }

    /// <param name="allowForward">False for a request that was itself forwarded here.</param>
    public async Task<TopicResult> DeleteAsync(string name, bool allowForward, CancellationToken cancellationToken)
    {
        if (!catalog.TryGet(name, out var topic))
        {
            return TopicResult.Fail(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
        }
        if (controller is { IsActive: true } || !allowForward)
        {
            return await DeleteHereAsync(topic, cancellationToken).ConfigureAwait(false);
        }
        var request = new DeleteTopicsRequest { Topics = [new DeleteTopicsRequest.DeleteTopicState { Name = name }], TimeoutMs = 30_000 };
        var response = await channel.SendAsync(
            request, DeleteTopicsVersion, DeleteTopicsResponse.Read,
            async ct => ToDeleteResponse(name, await DeleteHereAsync(topic, ct).ConfigureAwait(false)),
            r => r.Responses.Count > 0 && r.Responses[0].ErrorCode == (short)ErrorCode.NotController,
            cancellationToken).ConfigureAwait(false);
        var result = response.Responses.Count > 0 ? response.Responses[0] : null;
        if (result is null || result.ErrorCode != (short)ErrorCode.None)
        {
            return TopicResult.Fail(result is null ? ErrorCode.UnknownServerError : (ErrorCode)result.ErrorCode, result?.ErrorMessage ?? "The controller gave no result.");
        }
        await WaitForTopicGoneAsync(topic, cancellationToken).ConfigureAwait(false);
        return new TopicResult(ErrorCode.None, null, topic);
    }

    private async Task<TopicResult> DeleteHereAsync(TopicDefinition topic, CancellationToken cancellationToken)
    {
        if (controller is not { IsActive: true })
        {
            return TopicResult.Fail(ErrorCode.NotController, "This node is not the active controller.");
        }
        var reply = await controller.DeleteTopicAsync(topic.Name, cancellationToken).ConfigureAwait(false);
        if (reply.Error != ErrorCode.None)
        {
            return TopicResult.Fail(reply.Error, reply.Message ?? reply.Error.ToString());
        }
        BrokerLog.TopicDeleted(logger, topic.Name);
        await WaitForTopicGoneAsync(topic, cancellationToken).ConfigureAwait(false);
        return new TopicResult(ErrorCode.None, null, topic);
    }

    private async Task<TopicDefinition?> WaitForTopicAsync(string name, CancellationToken cancellationToken)
    {
        TopicDefinition? found = null;
        await publisher.WaitUntilAsync(() => catalog.TryGet(name, out found), LocalCatchUp, cancellationToken).ConfigureAwait(false);
        return found;
    }

    private Task WaitForTopicGoneAsync(TopicDefinition topic, CancellationToken cancellationToken) =>
        publisher.WaitUntilAsync(() => !catalog.TryGet(topic.Id, out _), LocalCatchUp, cancellationToken);

    private static CreateTopicsRequest ToRequest(CreateTopicSpec spec)
    {
        var topic = new CreateTopicsRequest.CreatableTopic
        {
            Name = spec.Name,
            NumPartitions = spec.Assignments is null ? spec.NumPartitions : -1,
            ReplicationFactor = spec.Assignments is null ? spec.ReplicationFactor : (short)-1,
        };
        if (spec.Assignments is { } assignments)
        {
            for (var i = 0; i < assignments.Count; i++)
            {
                topic.Assignments.Add(new CreateTopicsRequest.CreatableReplicaAssignment { PartitionIndex = i, BrokerIds = [.. assignments[i]] });
            }
        }
        foreach (var (key, value) in spec.Configs ?? new Dictionary<string, string>())
        {
            topic.Configs.Add(new CreateTopicsRequest.CreatableTopicConfig { Name = key, Value = value });
        }
        return new CreateTopicsRequest { Topics = [topic], TimeoutMs = 30_000, ValidateOnly = spec.ValidateOnly };
    }

    private static CreateTopicsResponse ToCreateResponse(string name, TopicResult result) => new()
    {
        Topics =
        [
            new CreateTopicsResponse.CreatableTopicResult
            {
                Name = name,
                ErrorCode = (short)result.Error,
                ErrorMessage = result.Message,
                TopicId = result.Topic?.Id ?? default,
                NumPartitions = result.Topic?.PartitionCount ?? -1,
                ReplicationFactor = result.Topic is null ? (short)-1 : result.ReplicationFactor,
            },
        ],
    };

    private static DeleteTopicsResponse ToDeleteResponse(string name, TopicResult result) => new()
    {
        Responses = [new DeleteTopicsResponse.DeletableTopicResult { Name = name, TopicId = result.Topic?.Id ?? default, ErrorCode = (short)result.Error, ErrorMessage = result.Message }],
    };
}
