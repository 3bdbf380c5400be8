using System.Collections.Immutable;
using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Image;

/// <summary>
/// Accumulates records on top of a base image and produces the next image. Records that refer to
/// something absent (a partition of an unknown topic, a fence of an unknown broker) are ignored:
/// the controller never writes them, and a follower must not stop applying the log because of one.
/// </summary>
public sealed class MetadataDelta(MetadataImage baseImage)
{
    private readonly ImmutableDictionary<int, BrokerRegistration>.Builder _brokers = baseImage.Brokers.ToBuilder();
    private readonly ImmutableDictionary<KafkaUuid, TopicImage>.Builder _topics = baseImage.TopicsById.ToBuilder();
    private readonly ImmutableDictionary<string, KafkaUuid>.Builder _topicIds = baseImage.TopicIdsByName.ToBuilder();
    private readonly ImmutableDictionary<ConfigResource, ImmutableDictionary<string, string>>.Builder _configs = baseImage.Configs.ToBuilder();
    private long _nextProducerId = baseImage.NextProducerId;

    public void Replay(in MetadataRecord record)
    {
        switch (record.Message)
        {
            case RegisterBrokerRecord r: ReplayRegisterBroker(r); break;
            case UnregisterBrokerRecord r: ReplayUnregisterBroker(r); break;
            case FenceBrokerRecord r: SetFenced(r.Id, r.Epoch, fenced: true); break;
            case UnfenceBrokerRecord r: SetFenced(r.Id, r.Epoch, fenced: false); break;
            case BrokerRegistrationChangeRecord r: ReplayBrokerRegistrationChange(r); break;
            case TopicRecord r: ReplayTopic(r); break;
            case RemoveTopicRecord r: ReplayRemoveTopic(r); break;
            case PartitionRecord r: ReplayPartition(r); break;
            case PartitionChangeRecord r: ReplayPartitionChange(r); break;
            case ConfigRecord r: ReplayConfig(r); break;
            case ProducerIdsRecord r: _nextProducerId = Math.Max(_nextProducerId, r.ProducerIdsEnd); break;
        }
    }

    public MetadataImage Apply(long offset) => new(
        offset,
        _brokers.ToImmutable(),
        _topics.ToImmutable(),
        _topicIds.ToImmutable(),
        _configs.ToImmutable(),
        _nextProducerId);

    private void ReplayRegisterBroker(RegisterBrokerRecord r)
    {
        var endpoints = ImmutableArray.CreateBuilder<BrokerEndpoint>(r.EndPoints.Count);
        foreach (var e in r.EndPoints)
            endpoints.Add(new BrokerEndpoint(e.Name, e.Host, e.Port, e.SecurityProtocol));
        _brokers[r.BrokerId] = new BrokerRegistration(
            r.BrokerId, r.BrokerEpoch, r.IncarnationId, endpoints.MoveToImmutable(), r.Rack, r.Fenced, r.InControlledShutdown);
    }

    private void ReplayUnregisterBroker(UnregisterBrokerRecord r)
    {
        if (_brokers.TryGetValue(r.BrokerId, out var broker) && broker.Epoch == r.BrokerEpoch)
            _brokers.Remove(r.BrokerId);
    }

    private void SetFenced(int id, long epoch, bool fenced)
    {
        if (_brokers.TryGetValue(id, out var broker) && broker.Epoch == epoch)
            _brokers[id] = broker with { Fenced = fenced };
    }

    /// <summary>Fenced: 1 fences, -1 unfences, 0 leaves it. InControlledShutdown: 1 marks the broker as shutting down.</summary>
    private void ReplayBrokerRegistrationChange(BrokerRegistrationChangeRecord r)
    {
        if (!_brokers.TryGetValue(r.BrokerId, out var broker) || broker.Epoch != r.BrokerEpoch)
            return;
        var fenced = r.Fenced switch
        {
            1 => true,
            -1 => false,
            _ => broker.Fenced,
        };
        _brokers[r.BrokerId] = broker with { Fenced = fenced, InControlledShutdown = broker.InControlledShutdown || r.InControlledShutdown == 1 };
    }

    private void ReplayTopic(TopicRecord r)
    {
        _topics[r.TopicId] = TopicImage.Create(r.Name, r.TopicId);
        _topicIds[r.Name] = r.TopicId;
    }

    private void ReplayRemoveTopic(RemoveTopicRecord r)
    {
        if (!_topics.TryGetValue(r.TopicId, out var topic))
            return;
        _topics.Remove(r.TopicId);
        _topicIds.Remove(topic.Name);
        _configs.Remove(new ConfigResource(ConfigResource.TopicType, topic.Name));
    }

    private void ReplayPartition(PartitionRecord r)
    {
        if (!_topics.TryGetValue(r.TopicId, out var topic))
            return;
        var partition = new PartitionImage(
            r.PartitionId, [.. r.Replicas], [.. r.Isr], [.. r.RemovingReplicas], [.. r.AddingReplicas],
            r.Leader, r.LeaderEpoch, r.PartitionEpoch);
        _topics[r.TopicId] = topic with { Partitions = topic.Partitions.SetItem(r.PartitionId, partition) };
    }

    private void ReplayPartitionChange(PartitionChangeRecord r)
    {
        if (!_topics.TryGetValue(r.TopicId, out var topic) || !topic.Partitions.TryGetValue(r.PartitionId, out var p))
            return;
        // As in Kafka, a record that names a leader starts a new leader epoch even when the leader
        // stays the same: that is how the controller fences a leader's stale requests.
        var leaderChanged = r.Leader != PartitionImage.LeaderUnchanged;
        var next = p with
        {
            Isr = r.Isr is null ? p.Isr : [.. r.Isr],
            Replicas = r.Replicas is null ? p.Replicas : [.. r.Replicas],
            RemovingReplicas = r.RemovingReplicas is null ? p.RemovingReplicas : [.. r.RemovingReplicas],
            AddingReplicas = r.AddingReplicas is null ? p.AddingReplicas : [.. r.AddingReplicas],
            Leader = leaderChanged ? r.Leader : p.Leader,
            LeaderEpoch = leaderChanged ? p.LeaderEpoch + 1 : p.LeaderEpoch,
            PartitionEpoch = p.PartitionEpoch + 1,
        };
        _topics[r.TopicId] = topic with { Partitions = topic.Partitions.SetItem(r.PartitionId, next) };
    }

    private void ReplayConfig(ConfigRecord r)
    {
        var resource = new ConfigResource(r.ResourceType, r.ResourceName);
        var current = _configs.TryGetValue(resource, out var existing)
            ? existing
            : ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        var next = r.Value is null ? current.Remove(r.Name) : current.SetItem(r.Name, r.Value);
        if (next.IsEmpty)
            _configs.Remove(resource);
        else
            _configs[resource] = next;
    }
}
