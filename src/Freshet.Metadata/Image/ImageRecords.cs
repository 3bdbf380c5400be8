using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;

namespace Freshet.Metadata.Image;

/// <summary>
/// The records that rebuild an image from nothing: what a snapshot holds, as Kafka's snapshots hold
/// the image written out as records.
/// </summary>
public static class ImageRecords
{
    public static List<MetadataRecord> From(MetadataImage image)
    {
        var records = new List<MetadataRecord>();
        foreach (var broker in image.Brokers.Values.OrderBy(b => b.Id))
            records.Add(MetadataRecord.Of(ToRecord(broker)));
        foreach (var topic in image.TopicsById.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            records.Add(MetadataRecord.Of(new TopicRecord { Name = topic.Name, TopicId = topic.Id }));
            foreach (var p in topic.Partitions.Values.OrderBy(p => p.PartitionId))
                records.Add(MetadataRecord.Of(ToRecord(topic, p)));
        }
        foreach (var (resource, entries) in image.Configs)
        {
            foreach (var (name, value) in entries)
                records.Add(MetadataRecord.Of(new ConfigRecord { ResourceType = resource.Type, ResourceName = resource.Name, Name = name, Value = value }));
        }
        if (image.NextProducerId > 0)
            records.Add(MetadataRecord.Of(new ProducerIdsRecord { BrokerId = -1, BrokerEpoch = -1, ProducerIdsEnd = image.NextProducerId }));
        return records;
    }

    private static RegisterBrokerRecord ToRecord(BrokerRegistration broker)
    {
        var record = new RegisterBrokerRecord
        {
            BrokerId = broker.Id,
            BrokerEpoch = broker.Epoch,
            IncarnationId = broker.IncarnationId,
            Rack = broker.Rack,
            Fenced = broker.Fenced,
            InControlledShutdown = broker.InControlledShutdown,
        };
        foreach (var e in broker.Endpoints)
            record.EndPoints.Add(new RegisterBrokerRecord.BrokerEndpoint { Name = e.Name, Host = e.Host, Port = (ushort)e.Port, SecurityProtocol = e.SecurityProtocol });
        return record;
    }

    private static PartitionRecord ToRecord(TopicImage topic, PartitionImage p) => new()
    {
        PartitionId = p.PartitionId,
        TopicId = topic.Id,
        Replicas = [.. p.Replicas],
        Isr = [.. p.Isr],
        RemovingReplicas = [.. p.RemovingReplicas],
        AddingReplicas = [.. p.AddingReplicas],
        Leader = p.Leader,
        LeaderEpoch = p.LeaderEpoch,
        PartitionEpoch = p.PartitionEpoch,
    };
}
