using Freshet.Protocol.Messages;

namespace Freshet.Metadata.Records;

/// <summary>One metadata log record: a generated message with the api key and version it is framed with.</summary>
public readonly record struct MetadataRecord(MetadataRecordType Type, short Version, IMessage Message)
{
    public static MetadataRecord Of(RegisterBrokerRecord record) => new(MetadataRecordType.RegisterBroker, RegisterBrokerRecord.HighestSupportedVersion, record);

    public static MetadataRecord Of(UnregisterBrokerRecord record) => new(MetadataRecordType.UnregisterBroker, 0, record);

    public static MetadataRecord Of(TopicRecord record) => new(MetadataRecordType.Topic, 0, record);

    public static MetadataRecord Of(PartitionRecord record) => new(MetadataRecordType.Partition, 0, record);

    public static MetadataRecord Of(ConfigRecord record) => new(MetadataRecordType.Config, 0, record);

    public static MetadataRecord Of(PartitionChangeRecord record) => new(MetadataRecordType.PartitionChange, 0, record);

    public static MetadataRecord Of(FenceBrokerRecord record) => new(MetadataRecordType.FenceBroker, 0, record);

    public static MetadataRecord Of(UnfenceBrokerRecord record) => new(MetadataRecordType.UnfenceBroker, 0, record);

    public static MetadataRecord Of(RemoveTopicRecord record) => new(MetadataRecordType.RemoveTopic, 0, record);

    public static MetadataRecord Of(ProducerIdsRecord record) => new(MetadataRecordType.ProducerIds, 0, record);

    /// <summary>Version 1, the first with InControlledShutdown.</summary>
    public static MetadataRecord Of(BrokerRegistrationChangeRecord record) => new(MetadataRecordType.BrokerRegistrationChange, 1, record);
}
