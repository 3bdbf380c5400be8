using Freshet.Broker.Tests.Coordination;
using Freshet.Broker.Tests.Groups;
using Freshet.Broker.Topics;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;
using Freshet.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Record = Freshet.Protocol.Records.Record;

namespace Freshet.Broker.Tests.Transactions;

/// <summary>Keeps appended __transaction_state records in memory, in order; can be told to fail.</summary>
internal sealed class MemoryTransactionLog : ITransactionLog
{
    public List<InternalLogEntry> Entries { get; } = [];

    public ErrorCode FailWith { get; set; } = ErrorCode.None;

    /// <summary>Writes held back from the "replicas"; by default every write is durable at once.</summary>
    public HeldWrites Replicas { get; } = new();

    public InternalWrite Append(string transactionalId, byte[] key, byte[]? value, long timestamp)
    {
        if (FailWith != ErrorCode.None)
        {
            return InternalWrite.Failed(FailWith);
        }
        Entries.Add(new InternalLogEntry(0, new Record(Entries.Count, timestamp, key, value is null ? null : (ReadOnlyMemory<byte>?)value), -1, false, null));
        return Replicas.Complete(Entries.Count - 1);
    }

    public int PartitionFor(string transactionalId) => 0;

    /// <summary>When set, a load's read waits for it: the test sees the partition while it loads.</summary>
    public ManualResetEventSlim? ReadGate { get; set; }

    public IEnumerable<InternalLogEntry> Read(int partition)
    {
        ReadGate?.Wait(TimeSpan.FromSeconds(30));
        foreach (var entry in Entries.ToList())
        {
            yield return entry;
        }
    }
}

/// <summary>Records the markers the coordinator writes; a partition can be made to fail.</summary>
internal sealed class RecordingMarkerWriter : ITxnMarkerWriter
{
    public List<(TopicPartition Partition, long ProducerId, short Epoch, int CoordinatorEpoch, bool Commit)> Written { get; } = [];

    public Dictionary<TopicPartition, ErrorCode> Failing { get; } = [];

    public ValueTask<ErrorCode> WriteAsync(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch, bool commit, CancellationToken cancellation)
    {
        if (Failing.TryGetValue(partition, out var error))
        {
            return ValueTask.FromResult(error);
        }
        Written.Add((partition, producerId, producerEpoch, coordinatorEpoch, commit));
        return ValueTask.FromResult(ErrorCode.None);
    }
}

/// <summary>A coordinator over a manual clock, an in-memory log, recorded markers and a counting id source.</summary>
internal sealed class TransactionTestKit
{
    private long _nextId = 1000;

    public TransactionTestKit(MemoryTransactionLog? log = null, TransactionCoordinatorOptions? options = null, ITxnMarkerWriter? markers = null, bool lead = true)
    {
        Log = log ?? new MemoryTransactionLog();
        Options = options ?? new TransactionCoordinatorOptions
        {
            MaxTimeoutMs = 60_000,
            AbortTimedOutInterval = TimeSpan.FromSeconds(1),
            TransactionalIdExpiration = TimeSpan.FromHours(1),
            RemoveExpiredInterval = TimeSpan.FromMinutes(1),
        };
        Coordinator = new TransactionCoordinator(Options, Log, markers ?? Markers, () => _nextId++, Time, NullLogger.Instance);
        if (lead)
        {
            Coordinator.BecomeLeaderAsync(0, 0).GetAwaiter().GetResult();
        }
    }

    public ManualTime Time { get; } = new();

    public MemoryTransactionLog Log { get; }

    public RecordingMarkerWriter Markers { get; } = new();

    public TransactionCoordinatorOptions Options { get; }

    public TransactionCoordinator Coordinator { get; }

    public ProducerIdAndEpoch Init(string id = "tx", int timeoutMs = 10_000, long producerId = -1, short epoch = -1) =>
        Coordinator.InitProducerId(id, timeoutMs, producerId, epoch);

    public TransactionState State(string id = "tx") => Coordinator.Describe(id)?.State ?? TransactionState.Dead;

    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        Coordinator.Tick();
    }
}
