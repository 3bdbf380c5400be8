using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Tests.Records;

public class MetadataRecordSerdeTests
{
    private static readonly KafkaUuid TopicId = KafkaUuid.NewRandom();

    public static TheoryData<string> RecordNames => [.. SampleRecords().Select(r => r.Type.ToString())];

    [Theory]
    [MemberData(nameof(RecordNames))]
    public void Every_record_type_round_trips_through_a_batch(string type)
    {
        var record = SampleRecords().Single(r => r.Type.ToString() == type);

        var decoded = MetadataBatch.Decode(MetadataBatch.Encode([record])).Single();

        Assert.Equal(record.Type, decoded.Type);
        Assert.Equal(record.Version, decoded.Version);
        Assert.Equal(Bytes(record), Bytes(decoded));
    }

    [Fact]
    public void A_record_is_framed_with_frame_version_api_key_and_record_version()
    {
        var bytes = Bytes(MetadataRecord.Of(new ProducerIdsRecord { BrokerId = 1, BrokerEpoch = 2, ProducerIdsEnd = 1000 }));

        Assert.Equal(new byte[] { 1, 15, 0 }, bytes[..3]);
    }

    [Fact]
    public void Register_broker_uses_its_latest_version_and_keeps_every_field()
    {
        var record = (RegisterBrokerRecord)SampleRecords()[0].Message;

        var decoded = (RegisterBrokerRecord)MetadataBatch.Decode(MetadataBatch.Encode([MetadataRecord.Of(record)])).Single().Message;

        Assert.Equal(3, MetadataRecord.Of(record).Version);
        Assert.Equal(record.IncarnationId, decoded.IncarnationId);
        Assert.Equal("r1", decoded.Rack);
        Assert.False(decoded.Fenced);
        Assert.Equal(9093, decoded.EndPoints.Single().Port);
    }

    [Fact]
    public void Partition_change_keeps_its_tagged_fields_and_their_defaults()
    {
        var changed = new PartitionChangeRecord { PartitionId = 3, TopicId = TopicId, Isr = [2, 3], Leader = 3 };
        var untouched = new PartitionChangeRecord { PartitionId = 3, TopicId = TopicId };

        var decoded = MetadataBatch.Decode(MetadataBatch.Encode([MetadataRecord.Of(changed), MetadataRecord.Of(untouched)]));

        var first = (PartitionChangeRecord)decoded[0].Message;
        var second = (PartitionChangeRecord)decoded[1].Message;
        Assert.Equal([2, 3], first.Isr);
        Assert.Equal(3, first.Leader);
        Assert.Null(second.Isr);
        Assert.Equal(-2, second.Leader);
        Assert.Null(second.Replicas);
    }

    [Fact]
    public void Broker_registration_change_is_api_key_17_version_1_with_its_changes_in_tagged_fields()
    {
        var record = MetadataRecord.Of(new BrokerRegistrationChangeRecord { BrokerId = 2, BrokerEpoch = 7, InControlledShutdown = 1 });

        var decoded = (BrokerRegistrationChangeRecord)MetadataBatch.Decode(MetadataBatch.Encode([record])).Single().Message;

        Assert.Equal(new byte[] { 1, 17, 1 }, Bytes(record)[..3]);
        Assert.Equal(2, decoded.BrokerId);
        Assert.Equal(7, decoded.BrokerEpoch);
        Assert.Equal(0, decoded.Fenced);
        Assert.Equal(1, decoded.InControlledShutdown);
    }

    [Fact]
    public void Unknown_api_key_is_malformed_input()
    {
        var reader = new KafkaReader(new byte[] { 1, 99, 0 });

        Assert.Throws<MalformedMessageException>(() => MetadataRecordSerde.Read(ref reader));
    }

    [Fact]
    public void Unknown_record_version_is_malformed_input()
    {
        var reader = new KafkaReader(new byte[] { 1, 2, 7 });

        Assert.Throws<MalformedMessageException>(() => MetadataRecordSerde.Read(ref reader));
    }

    [Fact]
    public void Truncated_or_padded_batches_are_malformed_input()
    {
        var batch = MetadataBatch.Encode(SampleRecords());

        Assert.ThrowsAny<Exception>(() => MetadataBatch.Decode(batch.AsMemory(0, batch.Length - 1)));
        Assert.Throws<MalformedMessageException>(() => MetadataBatch.Decode(batch.Concat(new byte[] { 0 }).ToArray()));
    }

    private static byte[] Bytes(in MetadataRecord record)
    {
        using var buffer = new PooledBufferWriter();
        MetadataRecordSerde.Write(new KafkaWriter(buffer), record);
        return buffer.WrittenSpan.ToArray();
    }

    internal static List<MetadataRecord> SampleRecords()
    {
        var broker = new RegisterBrokerRecord
        {
            BrokerId = 1,
            IncarnationId = KafkaUuid.NewRandom(),
            BrokerEpoch = 5,
            Rack = "r1",
            Fenced = false,
            LogDirs = [KafkaUuid.NewRandom()],
        };
        broker.EndPoints.Add(new RegisterBrokerRecord.BrokerEndpoint { Name = "PLAINTEXT", Host = "localhost", Port = 9093, SecurityProtocol = 0 });
        broker.Features.Add(new RegisterBrokerRecord.BrokerFeature { Name = "metadata.version", MinSupportedVersion = 1, MaxSupportedVersion = 20 });
        return
        [
            MetadataRecord.Of(broker),
            MetadataRecord.Of(new UnregisterBrokerRecord { BrokerId = 1, BrokerEpoch = 5 }),
            MetadataRecord.Of(new TopicRecord { Name = "orders", TopicId = TopicId }),
            MetadataRecord.Of(new PartitionRecord { PartitionId = 0, TopicId = TopicId, Replicas = [1, 2, 3], Isr = [1, 2], Leader = 1, LeaderEpoch = 0, PartitionEpoch = 0 }),
            MetadataRecord.Of(new ConfigRecord { ResourceType = 2, ResourceName = "orders", Name = "retention.ms", Value = "1000" }),
            MetadataRecord.Of(new PartitionChangeRecord { PartitionId = 0, TopicId = TopicId, Isr = [1], Leader = 2 }),
            MetadataRecord.Of(new FenceBrokerRecord { Id = 2, Epoch = 7 }),
            MetadataRecord.Of(new UnfenceBrokerRecord { Id = 2, Epoch = 7 }),
            MetadataRecord.Of(new RemoveTopicRecord { TopicId = TopicId }),
            MetadataRecord.Of(new ProducerIdsRecord { BrokerId = 1, BrokerEpoch = 5, ProducerIdsEnd = 2000 }),
            MetadataRecord.Of(new BrokerRegistrationChangeRecord { BrokerId = 2, BrokerEpoch = 7, Fenced = -1, InControlledShutdown = 1 }),
        ];
    }
}
