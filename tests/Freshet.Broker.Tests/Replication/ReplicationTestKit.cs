using System.Collections.Concurrent;
using Freshet.Broker.Replication;
using Freshet.Broker.Tests.Groups;
using Freshet.Metadata.Image;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;
using Freshet.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Record = Freshet.Protocol.Records.Record;

namespace Freshet.Broker.Tests.Replication;

/// <summary>Records every ISR change a leader proposes; answers each with the controller's acceptance unless told to hold it.</summary>
internal sealed class FakeAlterPartitionChannel : IAlterPartitionChannel
{
    private readonly ConcurrentQueue<(IReadOnlyList<int> Isr, int PartitionEpoch)> _calls = new();
    private TaskCompletionSource<AlterPartitionResult>? _held;

    public IReadOnlyList<(IReadOnlyList<int> Isr, int PartitionEpoch)> Calls => [.. _calls];

    /// <summary>The next call waits for <see cref="Release"/>, as a controller that is slow to commit.</summary>
    public bool HoldNext { get; set; }

    public Task<AlterPartitionResult> AlterPartitionAsync(
        TopicPartition id, KafkaUuid topicId, int leaderEpoch, int partitionEpoch, IReadOnlyList<int> newIsr, CancellationToken cancellationToken)
    {
        var accepted = new AlterPartitionResult(ErrorCode.None, [.. newIsr], leaderEpoch, partitionEpoch + 1);
        if (!HoldNext)
        {
            _calls.Enqueue((newIsr, partitionEpoch));
            return Task.FromResult(accepted);
        }
        HoldNext = false;
        var held = new TaskCompletionSource<AlterPartitionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _held = held;
        // Counted only once the hold can be released: a test that waits for the call and then releases it must find it.
        _calls.Enqueue((newIsr, partitionEpoch));
        return held.Task.ContinueWith(_ => accepted, TaskScheduler.Default);
    }

    public void Release() => _held?.TrySetResult(AlterPartitionResult.Failed(ErrorCode.None));
}

/// <summary>One partition log in a temporary directory, with a partition on it at a manual clock.</summary>
internal sealed class PartitionFixture : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "freshet-rep-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly LogManager _logs;

    public PartitionFixture(int localBrokerId = 1, Storage.IO.DiskFaults? faults = null)
    {
        Directory.CreateDirectory(_dir);
        _logs = new LogManager(new LogManagerOptions { LogDirs = [_dir], ClusterId = "test-cluster", DiskFaults = faults }, NullLoggerFactory.Instance);
        _logs.LoadLogs(_ => new LogConfig());
        var id = new TopicPartition("orders", 0);
        var log = _logs.CreateLog(id, KafkaUuid.NewRandom(), new LogConfig());
        Partition = new Partition(id, log.TopicId, log, localBrokerId, Channel, Time);
    }

    public ManualTime Time { get; } = new();

    public FakeAlterPartitionChannel Channel { get; } = new();

    public Partition Partition { get; }

    public static PartitionImage State(int leader, int leaderEpoch, int partitionEpoch, int[] replicas, int[] isr) =>
        new(0, [.. replicas], [.. isr], [], [], leader, leaderEpoch, partitionEpoch);

    /// <summary>Appends <paramref name="count"/> one-record batches as the leader; returns the last offset.</summary>
    public long Append(int count)
    {
        var last = -1L;
        for (var i = 0; i < count; i++)
        {
            last = Partition.AppendAsLeader(RecordBatchBuilder.Build([new Record(0, 1_700_000_000_000, null, "v"u8.ToArray())])).LastOffset;
        }
        return last;
    }

    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(10);
        }
    }

    public void Dispose()
    {
        _logs.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
