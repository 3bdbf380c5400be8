using Freshet.Broker.Configuration;
using Freshet.Broker.Hosting;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Metadata.Image;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Metadata, from this broker's metadata image: the live (unfenced) brokers, the active controller, and each
/// asked-for topic with its partitions' leader, leader epoch, replicas, ISR and offline replicas. Unknown topics
/// are created when auto.create.topics.enable and the client allows it, as Kafka does.
/// </summary>
internal sealed class MetadataHandler(BrokerNode node, Func<int> controllerId, TopicCatalog catalog, TopicAdmin admin, BrokerOptions options) : ApiHandler<MetadataRequest>
{
    public override ApiKey Key => ApiKey.Metadata;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, MetadataRequest request)
    {
        var image = catalog.Image;
        var response = new MetadataResponse
        {
            ClusterId = node.ClusterId,
            ControllerId = controllerId(),
        };
        foreach (var broker in image.Brokers.Values)
        {
            if (!broker.Fenced && broker.Endpoints.Length > 0)
            {
                response.Brokers.Add(new MetadataResponse.MetadataResponseBroker
                {
                    NodeId = broker.Id,
                    Host = broker.Endpoints[0].Host,
                    Port = broker.Endpoints[0].Port,
                    Rack = broker.Rack,
                });
            }
        }
        response.Brokers.Sort((a, b) => a.NodeId.CompareTo(b.NodeId));

        // Version 0 asks for every topic with an empty list; later versions with a null one.
        var allTopics = request.Topics is null || (context.ApiVersion == 0 && request.Topics.Count == 0);
        if (allTopics)
        {
            foreach (var topic in catalog.Snapshot())
            {
                response.Topics.Add(Describe(image, topic));
            }
            return response;
        }
        var autoCreate = options.AutoCreateTopicsEnable && (context.ApiVersion < 4 || request.AllowAutoTopicCreation);
        foreach (var wanted in request.Topics!)
        {
            response.Topics.Add(await LookupAsync(wanted, autoCreate, context.Closing).ConfigureAwait(false));
        }
        return response;
    }

    private async Task<MetadataResponse.MetadataResponseTopic> LookupAsync(MetadataRequest.MetadataRequestTopic wanted, bool autoCreate, CancellationToken cancellationToken)
    {
        if (wanted.Name is null)
        {
            return catalog.TryGet(wanted.TopicId, out var byId)
                ? Describe(catalog.Image, byId)
                : new MetadataResponse.MetadataResponseTopic { ErrorCode = (short)ErrorCode.UnknownTopicId, TopicId = wanted.TopicId };
        }
        if (catalog.TryGet(wanted.Name, out var topic))
        {
            return Describe(catalog.Image, topic);
        }
        if (!TopicNameRules.IsValid(wanted.Name, out _))
        {
            return Error(wanted.Name, ErrorCode.InvalidTopicException);
        }
        if (!autoCreate)
        {
            return Error(wanted.Name, ErrorCode.UnknownTopicOrPartition);
        }
        var created = await admin.CreateAsync(
            wanted.Name, options.NumPartitions, options.DefaultReplicationFactor, null, new Dictionary<string, string>(),
            validateOnly: false, allowForward: true, cancellationToken).ConfigureAwait(false);
        if (created.Error is ErrorCode.None or ErrorCode.TopicAlreadyExists && catalog.TryGet(wanted.Name, out var now))
        {
            return Describe(catalog.Image, now);
        }
        // Kafka answers a topic that is being created with LEADER_NOT_AVAILABLE, and the client asks again.
        return Error(wanted.Name, created.Error is ErrorCode.None or ErrorCode.TopicAlreadyExists ? ErrorCode.LeaderNotAvailable : created.Error);
    }

    private static MetadataResponse.MetadataResponseTopic Error(string name, ErrorCode error) =>
        new() { Name = name, ErrorCode = (short)error };

    private static MetadataResponse.MetadataResponseTopic Describe(MetadataImage image, TopicDefinition topic)
    {
        var result = new MetadataResponse.MetadataResponseTopic
        {
            Name = topic.Name,
            TopicId = topic.Id,
            IsInternal = topic.IsInternal,
        };
        if (!image.TopicsById.TryGetValue(topic.Id, out var topicImage))
        {
            result.ErrorCode = (short)ErrorCode.LeaderNotAvailable;
            return result;
        }
        for (var index = 0; index < topicImage.Partitions.Count; index++)
        {
            if (!topicImage.Partitions.TryGetValue(index, out var partition))
            {
                continue;
            }
            var offline = new List<int>();
            foreach (var replica in partition.Replicas)
            {
                if (!image.Brokers.TryGetValue(replica, out var broker) || broker.Fenced)
                {
                    offline.Add(replica);
                }
            }
            result.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                ErrorCode = (short)(partition.Leader == PartitionImage.NoLeader ? ErrorCode.LeaderNotAvailable : ErrorCode.None),
                PartitionIndex = index,
                LeaderId = partition.Leader,
                LeaderEpoch = partition.LeaderEpoch,
                ReplicaNodes = [.. partition.Replicas],
                IsrNodes = [.. partition.Isr],
                OfflineReplicas = offline,
            });
        }
        return result;
    }
}
