using System.Buffers.Binary;
using System.Globalization;
using Freshet.Broker.Handlers;
using Freshet.Broker.Replication;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Records;
using Freshet.Storage;
using Freshet.Storage.Producers;

namespace Freshet.Broker.Topics;

/// <summary>
/// A compacted topic the broker keeps for itself (__consumer_offsets, __transaction_state): created on the first
/// coordinator lookup, appended to directly (the Produce handler refuses client writes to internal topics), and read back at
/// start-up. Its replication factor is the configured one capped at the size of the controller quorum, so a single
/// node can have one while a cluster waits until enough brokers have joined. Appends are acks=all: a write counts
/// once every in-sync replica has it, and fails while the ISR is below the topic's min.insync.replicas.
/// </summary>
/// <param name="minInSyncReplicas">The topic's min.insync.replicas; null leaves the broker's default.</param>
/// <param name="writeTimeout">How long a write waits for the in-sync replicas before it fails.</param>
internal sealed class InternalTopic(
    TopicCatalog catalog, TopicAdmin admin, ReplicaManager replicas, string name, int configuredPartitions, int segmentBytes, short replicationFactor,
    int? minInSyncReplicas, TimeSpan writeTimeout)
{
    private readonly object _createLock = new();
    private Task<ErrorCode>? _creation;

    public string Name { get; } = name;

    /// <summary>The partition count: the existing topic's, or the configured one before it exists.</summary>
    public int PartitionCount => catalog.TryGet(Name, out var topic) ? topic.PartitionCount : configuredPartitions;

    public bool Exists => catalog.TryGet(Name, out _);

    /// <summary>
    /// Creates the topic if it does not exist yet (Kafka does so on the first coordinator lookup). Concurrent callers
    /// share one creation; no thread waits for the controller meanwhile. A failed creation is tried again next time.
    /// </summary>
    public ValueTask<ErrorCode> EnsureCreatedAsync()
    {
        if (Exists)
        {
            return ValueTask.FromResult(ErrorCode.None);
        }
        Task<ErrorCode> creation;
        lock (_createLock)
        {
            if (_creation is not { IsCompleted: false })
            {
                _creation = CreateAsync();
            }
            creation = _creation;
        }
        return new ValueTask<ErrorCode>(creation);
    }

    private async Task<ErrorCode> CreateAsync()
    {
        var configs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cleanup.policy"] = "compact",
            ["compression.type"] = "producer",
            ["segment.bytes"] = segmentBytes.ToString(CultureInfo.InvariantCulture),
        };
        if (minInSyncReplicas is { } minIsr)
        {
            // Never above the replicas there are, or no write could ever succeed.
            configs["min.insync.replicas"] = Math.Min(minIsr, replicationFactor).ToString(CultureInfo.InvariantCulture);
        }
        var result = await admin.CreateAsync(Name, configuredPartitions, replicationFactor, null, configs, validateOnly: false, allowForward: true, CancellationToken.None)
            .ConfigureAwait(false);
        return result.Error is ErrorCode.None or ErrorCode.TopicAlreadyExists ? ErrorCode.None : result.Error;
    }

    /// <summary>
    /// Appends records (key, value-or-tombstone) to one partition as a single batch, so they land together, and
    /// starts waiting for the in-sync replicas. A batch with a producer id is transactional, written on the producer's
    /// behalf (TxnOffsetCommit). Errors come mapped to what a coordinator answers (see <see cref="InternalWrite"/>).
    /// </summary>
    public InternalWrite Append(int partitionIndex, IReadOnlyList<(byte[] Key, byte[]? Value)> entries, long timestamp, long producerId = -1, short producerEpoch = -1)
    {
        if (entries.Count == 0)
        {
            return InternalWrite.Durable(-1);
        }
        // Coordinators write only to partitions they lead, which the first lookup created.
        if (!replicas.TryGetPartition(Name, partitionIndex, out var partition))
        {
            return InternalWrite.Failed(ErrorCode.CoordinatorNotAvailable);
        }
        if (partition.InSyncReplicaCount < partition.MinInSyncReplicas)
        {
            // As a Produce with acks=all is refused before it is written.
            return InternalWrite.Failed(InternalWrite.CoordinatorError(ErrorCode.NotEnoughReplicas));
        }
        var records = new Record[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            // A null value must stay null (a tombstone): a null byte[] would convert to an empty value.
            records[i] = new Record(i, timestamp, entries[i].Key, entries[i].Value is { } v ? (ReadOnlyMemory<byte>?)v : null);
        }
        var transactional = producerId >= 0;
        var batch = RecordBatchBuilder.Build(records, transactional
            ? new RecordBatchOptions { ProducerId = producerId, ProducerEpoch = producerEpoch, IsTransactional = true }
            : null);
        long lastOffset;
        try
        {
            lastOffset = partition.AppendAsLeader(batch, transactional ? AppendOrigin.Coordinator : AppendOrigin.Client).LastOffset;
        }
        catch (IOException)
        {
            return InternalWrite.Failed(InternalWrite.CoordinatorError(ErrorCode.KafkaStorageError));
        }
        catch (ProducerStateException ex)
        {
            // The producer was fenced since it added the partition (its epoch is no longer the current one).
            return InternalWrite.Failed(ProducerStateErrors.CodeOf(ex));
        }
        catch (NotLeaderOrFollowerException)
        {
            // Leadership moved away; the coordinator of this partition is now on another broker.
            return InternalWrite.Failed(InternalWrite.CoordinatorError(ErrorCode.NotLeaderOrFollower));
        }
        var replicated = partition.WaitForHighWatermarkAsync(lastOffset + 1, CancellationToken.None);
        if (!replicated.IsCompletedSuccessfully)
        {
            return InternalWrite.Replicating(lastOffset, AwaitReplicationAsync(replicated.AsTask()));
        }
        // One replica, or followers already there: durable without a wait.
        var error = replicated.Result;
        return error == ErrorCode.None ? InternalWrite.Durable(lastOffset) : InternalWrite.Failed(InternalWrite.CoordinatorError(error));
    }

    /// <summary>The replication's outcome, or REQUEST_TIMED_OUT (as COORDINATOR_NOT_AVAILABLE) once the write timeout passes.</summary>
    private async Task<ErrorCode> AwaitReplicationAsync(Task<ErrorCode> replicated)
    {
        try
        {
            return InternalWrite.CoordinatorError(await replicated.WaitAsync(writeTimeout).ConfigureAwait(false));
        }
        catch (TimeoutException)
        {
            return InternalWrite.CoordinatorError(ErrorCode.RequestTimedOut);
        }
    }

    /// <summary>Every entry of one partition in log order, up to the log end when the read starts; none when it is not hosted here.</summary>
    public IEnumerable<InternalLogEntry> ReadPartition(int index) =>
        replicas.TryGetPartition(Name, index, out var partition) ? ReadPartition(index, partition.Log) : [];

    private static IEnumerable<InternalLogEntry> ReadPartition(int index, PartitionLog log)
    {
        const int ChunkBytes = 4 * 1024 * 1024;
        var offset = log.LogStartOffset;
        var end = log.LogEndOffset;
        while (offset < end)
        {
            var bytes = log.Read(offset, ChunkBytes, end, minOneBatch: true).Records.ToArray();
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
                foreach (var record in RecordBatchReader.ReadRecords(batchBytes))
                {
                    if (header.IsControl)
                    {
                        if (MarkerType(record) is { } marker)
                        {
                            yield return new InternalLogEntry(index, record, header.ProducerId, true, marker);
                        }
                    }
                    else
                    {
                        yield return new InternalLogEntry(index, record, header.ProducerId, header.IsTransactional, null);
                    }
                }
            }
        }
    }

    // Control record key: version int16, type int16 (0 abort, 1 commit); other types are not transaction markers.
    private static TxnMarkerType? MarkerType(Record record)
    {
        if (record.Key is not { Length: >= 4 } key)
        {
            return null;
        }
        var type = BinaryPrimitives.ReadInt16BigEndian(key.Span[2..]);
        return type is (short)TxnMarkerType.Abort or (short)TxnMarkerType.Commit ? (TxnMarkerType)type : null;
    }
}
