using Freshet.Broker.Configuration;
using Freshet.Broker.Replication;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Records;
using Freshet.Storage;

namespace Freshet.Broker.Groups;

/// <summary>
/// The internal compacted topic __consumer_offsets: created on first use, appended to directly
/// (the Produce handler refuses client writes to internal topics), and read back at start-up.
/// </summary>
internal sealed class OffsetsTopic(TopicCatalog catalog, TopicAdmin admin, ReplicaManager replicas, BrokerOptions options)
{
    public const string Name = "__consumer_offsets";

    private readonly object _createLock = new();

    /// <summary>The partition count: the existing topic's, or the configured one before it exists.</summary>
    public int PartitionCount => catalog.TryGet(Name, out var topic) ? topic.PartitionCount : options.OffsetsTopicNumPartitions;

    public int PartitionFor(string groupId) => GroupPartitioner.PartitionFor(groupId, PartitionCount);

    public bool Exists => catalog.TryGet(Name, out _);

    /// <summary>Creates the topic if it does not exist yet, as Kafka does on the first FindCoordinator.</summary>
    public ErrorCode EnsureCreated()
    {
        if (Exists)
        {
            return ErrorCode.None;
        }
        lock (_createLock)
        {
            if (Exists)
            {
                return ErrorCode.None;
            }
            var configs = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["cleanup.policy"] = "compact",
                ["compression.type"] = "producer",
                ["segment.bytes"] = options.OffsetsTopicSegmentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            // One broker: the replication factor is capped at the live brokers, as Kafka caps it.
            var result = admin.Create(Name, options.OffsetsTopicNumPartitions, 1, configs, validateOnly: false);
            return result.Error is ErrorCode.None or ErrorCode.TopicAlreadyExists ? ErrorCode.None : result.Error;
        }
    }

    /// <summary>Appends records (key, value-or-tombstone) for one group as a single batch, so they land together.</summary>
    public ErrorCode Append(string groupId, IReadOnlyList<(byte[] Key, byte[]? Value)> entries, long timestamp)
    {
        if (entries.Count == 0)
        {
            return ErrorCode.None;
        }
        var created = EnsureCreated();
        if (created != ErrorCode.None)
        {
            return ErrorCode.CoordinatorNotAvailable;
        }
        if (!replicas.TryGetPartition(Name, PartitionFor(groupId), out var partition))
        {
            return ErrorCode.CoordinatorNotAvailable;
        }
        var records = new Record[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            // A null value must stay null (a tombstone): a null byte[] would convert to an empty value.
            records[i] = new Record(i, timestamp, entries[i].Key, entries[i].Value is { } v ? (ReadOnlyMemory<byte>?)v : null);
        }
        var batch = RecordBatchBuilder.Build(records);
        try
        {
            partition.AppendAsLeader(batch);
            return ErrorCode.None;
        }
        catch (IOException)
        {
            return ErrorCode.KafkaStorageError;
        }
    }

    /// <summary>Every record of every partition, in log order, for rebuilding the coordinator's state.</summary>
    public IEnumerable<Record> ReadAll()
    {
        if (!catalog.TryGet(Name, out var topic))
        {
            yield break;
        }
        for (var index = 0; index < topic.PartitionCount; index++)
        {
            if (!replicas.TryGetPartition(Name, index, out var partition))
            {
                continue;
            }
            foreach (var record in ReadPartition(partition.Log))
            {
                yield return record;
            }
        }
    }

    private static IEnumerable<Record> ReadPartition(PartitionLog log)
    {
        const int ChunkBytes = 4 * 1024 * 1024;
        var offset = log.LogStartOffset;
        var end = log.LogEndOffset;
        while (offset < end)
        {
            var bytes = log.Read(offset, ChunkBytes, end, minOneBatch: true).Records.ToArray();
            if (bytes.Length == 0)
            {
                yield break;
            }
            var batches = new List<(ReadOnlyMemory<byte> Bytes, RecordBatchHeader Header)>();
            foreach (var batch in new RecordBatchEnumerator(bytes))
            {
                batches.Add((bytes.AsMemory(batch.Position, batch.Length), batch.Header));
            }
            if (batches.Count == 0)
            {
                yield break;
            }
            foreach (var (batchBytes, header) in batches)
            {
                offset = header.NextOffset;
                if (header.IsControl)
                {
                    continue;
                }
                foreach (var record in RecordBatchReader.ReadRecords(batchBytes))
                {
                    yield return record;
                }
            }
        }
    }
}
