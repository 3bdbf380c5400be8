using System.Buffers.Binary;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Freshet.Storage;

namespace Freshet.Broker.Transactions;

/// <summary>
/// The records of __transaction_state in Kafka's layout: key = int16 version 0 + TransactionLogKey (the
/// transactional id); value = int16 version + TransactionLogValue, or a tombstone when the id expires.
/// The partitions of an Empty transaction are written as null, as Kafka writes them.
/// </summary>
internal static class TransactionRecords
{
    public const short KeyVersion = 0;
    public const short ValueVersion = 0;

    public static byte[] Key(string transactionalId) =>
        VersionedRecord.Encode(KeyVersion, w => new TransactionLogKey { TransactionalId = transactionalId }.Write(w, KeyVersion));

    public static byte[] Value(TransactionSnapshot snapshot)
    {
        var value = new TransactionLogValue
        {
            ProducerId = snapshot.ProducerId,
            ProducerEpoch = snapshot.ProducerEpoch,
            TransactionTimeoutMs = snapshot.TimeoutMs,
            TransactionStatus = (sbyte)snapshot.State,
            TransactionPartitions = snapshot.State == TransactionState.Empty ? null : ByTopic(snapshot.Partitions),
            TransactionLastUpdateTimestampMs = snapshot.LastUpdateTimestampMs,
            TransactionStartTimestampMs = snapshot.StartTimestampMs,
        };
        return VersionedRecord.Encode(ValueVersion, w => value.Write(w, ValueVersion));
    }

    public static string ReadKey(ReadOnlyMemory<byte> bytes)
    {
        var version = BinaryPrimitives.ReadInt16BigEndian(bytes.Span);
        if (version != KeyVersion)
        {
            throw new MalformedMessageException($"Unknown __transaction_state key version {version}.");
        }
        var reader = new KafkaReader(bytes[2..]);
        return TransactionLogKey.Read(ref reader, version).TransactionalId;
    }

    public static TransactionSnapshot ReadValue(ReadOnlyMemory<byte> bytes)
    {
        var version = BinaryPrimitives.ReadInt16BigEndian(bytes.Span);
        if (version > TransactionLogValue.HighestSupportedVersion)
        {
            throw new MalformedMessageException($"Unknown __transaction_state value version {version}.");
        }
        var reader = new KafkaReader(bytes[2..]);
        var value = TransactionLogValue.Read(ref reader, version);
        var partitions = new HashSet<TopicPartition>();
        foreach (var topic in value.TransactionPartitions ?? [])
        {
            foreach (var id in topic.PartitionIds)
            {
                partitions.Add(new TopicPartition(topic.Topic, id));
            }
        }
        return new TransactionSnapshot(
            value.ProducerId,
            value.ProducerEpoch,
            value.TransactionTimeoutMs,
            (TransactionState)value.TransactionStatus,
            partitions,
            value.TransactionStartTimestampMs,
            value.TransactionLastUpdateTimestampMs);
    }

    private static List<TransactionLogValue.PartitionsSchema> ByTopic(IReadOnlySet<TopicPartition> partitions)
    {
        var byTopic = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var partition in partitions)
        {
            if (!byTopic.TryGetValue(partition.Topic, out var ids))
            {
                byTopic[partition.Topic] = ids = [];
            }
            ids.Add(partition.Partition);
        }
        var result = new List<TransactionLogValue.PartitionsSchema>(byTopic.Count);
        foreach (var (topic, ids) in byTopic)
        {
            ids.Sort();
            result.Add(new TransactionLogValue.PartitionsSchema { Topic = topic, PartitionIds = ids });
        }
        return result;
    }
}
