namespace Freshet.Metadata.Records;

/// <summary>
/// The api keys Kafka gives its metadata log records. A record is stored as
/// (frame version, api key, record version, body), so these numbers are on disk: never renumber.
/// </summary>
public enum MetadataRecordType : short
{
    RegisterBroker = 0,
    UnregisterBroker = 1,
    Topic = 2,
    Partition = 3,
    Config = 4,
    PartitionChange = 5,
    FenceBroker = 7,
    UnfenceBroker = 8,
    RemoveTopic = 9,
    ProducerIds = 15,
    BrokerRegistrationChange = 17,
}
