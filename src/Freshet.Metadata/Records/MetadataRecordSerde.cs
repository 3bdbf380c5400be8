using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Records;

/// <summary>
/// Frames a metadata record as Kafka does in its metadata log: unsigned varints for the frame
/// version (1), the api key and the record version, then the record body.
/// </summary>
public static class MetadataRecordSerde
{
    public const uint FrameVersion = 1;

    public static void Write(KafkaWriter writer, in MetadataRecord record)
    {
        writer.WriteUnsignedVarInt(FrameVersion);
        writer.WriteUnsignedVarInt((uint)record.Type);
        writer.WriteUnsignedVarInt((uint)record.Version);
        record.Message.Write(writer, record.Version);
    }

    /// <summary>Reads one framed record; unknown frame versions, api keys or record versions are malformed input.</summary>
    public static MetadataRecord Read(ref KafkaReader reader)
    {
        var frame = reader.ReadUnsignedVarInt();
        if (frame != FrameVersion)
            throw new MalformedMessageException($"Unsupported metadata record frame version {frame}.");
        var type = (MetadataRecordType)checked((short)reader.ReadUnsignedVarInt());
        var version = checked((short)reader.ReadUnsignedVarInt());
        IMessage message = type switch
        {
            MetadataRecordType.RegisterBroker => RegisterBrokerRecord.Read(ref reader, Check(version, RegisterBrokerRecord.HighestSupportedVersion)),
            MetadataRecordType.UnregisterBroker => UnregisterBrokerRecord.Read(ref reader, Check(version, UnregisterBrokerRecord.HighestSupportedVersion)),
            MetadataRecordType.Topic => TopicRecord.Read(ref reader, Check(version, TopicRecord.HighestSupportedVersion)),
            MetadataRecordType.Partition => PartitionRecord.Read(ref reader, Check(version, PartitionRecord.HighestSupportedVersion)),
            MetadataRecordType.Config => ConfigRecord.Read(ref reader, Check(version, ConfigRecord.HighestSupportedVersion)),
            MetadataRecordType.PartitionChange => PartitionChangeRecord.Read(ref reader, Check(version, PartitionChangeRecord.HighestSupportedVersion)),
            MetadataRecordType.FenceBroker => FenceBrokerRecord.Read(ref reader, Check(version, FenceBrokerRecord.HighestSupportedVersion)),
            MetadataRecordType.UnfenceBroker => UnfenceBrokerRecord.Read(ref reader, Check(version, UnfenceBrokerRecord.HighestSupportedVersion)),
            MetadataRecordType.RemoveTopic => RemoveTopicRecord.Read(ref reader, Check(version, RemoveTopicRecord.HighestSupportedVersion)),
            MetadataRecordType.ProducerIds => ProducerIdsRecord.Read(ref reader, Check(version, ProducerIdsRecord.HighestSupportedVersion)),
            MetadataRecordType.BrokerRegistrationChange => BrokerRegistrationChangeRecord.Read(
                ref reader, Check(version, BrokerRegistrationChangeRecord.HighestSupportedVersion)),
            _ => throw new MalformedMessageException($"Unknown metadata record api key {(short)type}."),
        };
        return new MetadataRecord(type, version, message);
    }

    private static short Check(short version, short highest) =>
        version >= 0 && version <= highest
            ? version
            : throw new MalformedMessageException($"Unsupported metadata record version {version}.");
}
