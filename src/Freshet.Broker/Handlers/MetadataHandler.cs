using Freshet.Broker.Configuration;
using Freshet.Broker.Hosting;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Metadata: the brokers, the controller, and each asked-for topic with its partitions'
/// leader, epoch, replicas and ISR. Unknown topics are created when auto.create.topics.enable
/// and the client allows it, as Kafka does.
/// </summary>
internal sealed class MetadataHandler(BrokerNode node, TopicCatalog catalog, TopicAdmin admin, BrokerOptions options) : ApiHandler<MetadataRequest>
{
    public override ApiKey Key => ApiKey.Metadata;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, MetadataRequest request)
    {
        var response = new MetadataResponse
        {
            ClusterId = node.ClusterId,
            ControllerId = node.NodeId,
        };
        response.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = node.NodeId, Host = node.Host, Port = node.Port });

        // Version 0 asks for every topic with an empty list; later versions with a null one.
        var allTopics = request.Topics is null || (context.ApiVersion == 0 && request.Topics.Count == 0);
        if (allTopics)
        {
            foreach (var topic in catalog.Snapshot())
            {
                response.Topics.Add(Describe(topic));
            }
        }
        else
        {
            var autoCreate = options.AutoCreateTopicsEnable && (context.ApiVersion < 4 || request.AllowAutoTopicCreation);
            foreach (var wanted in request.Topics!)
            {
                response.Topics.Add(Lookup(wanted, autoCreate));
            }
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }

    private MetadataResponse.MetadataResponseTopic Lookup(MetadataRequest.MetadataRequestTopic wanted, bool autoCreate)
    {
        if (wanted.Name is null)
        {
            return catalog.TryGet(wanted.TopicId, out var byId)
                ? Describe(byId)
                : new MetadataResponse.MetadataResponseTopic { ErrorCode = (short)ErrorCode.UnknownTopicId, TopicId = wanted.TopicId };
        }
        if (catalog.TryGet(wanted.Name, out var topic))
        {
            return Describe(topic);
        }
        if (!TopicNameRules.IsValid(wanted.Name, out _))
        {
            return Error(wanted.Name, ErrorCode.InvalidTopicException);
        }
        if (!autoCreate)
        {
            return Error(wanted.Name, ErrorCode.UnknownTopicOrPartition);
        }
        var created = admin.Create(wanted.Name, options.NumPartitions, options.DefaultReplicationFactor, new Dictionary<string, string>(), validateOnly: false);
        if (created.Topic is { } newTopic)
        {
            return Describe(newTopic);
        }
        // Another request created it first: describe that one.
        return created.Error == ErrorCode.TopicAlreadyExists && catalog.TryGet(wanted.Name, out var raced)
            ? Describe(raced)
            : Error(wanted.Name, created.Error);
    }

    private static MetadataResponse.MetadataResponseTopic Error(string name, ErrorCode error) =>
        new() { Name = name, ErrorCode = (short)error };

    private MetadataResponse.MetadataResponseTopic Describe(TopicDefinition topic)
    {
        var result = new MetadataResponse.MetadataResponseTopic
        {
            Name = topic.Name,
            TopicId = topic.Id,
            IsInternal = topic.IsInternal,
        };
        for (var index = 0; index < topic.PartitionCount; index++)
        {
            result.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = index,
                LeaderId = node.NodeId,
                LeaderEpoch = 0,
                ReplicaNodes = [node.NodeId],
                IsrNodes = [node.NodeId],
                OfflineReplicas = [],
            });
        }
        return result;
    }
}
