using BenchmarkDotNet.Attributes;
using Freshet.Protocol.Primitives;
using Freshet.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace Freshet.Benchmarks;

/// <summary>
/// Several appenders on one partition, as when many producers write to it: 16 KiB batches from
/// <see cref="Appenders"/> threads to one <see cref="PartitionLog"/>, which holds its append lock across the
/// page-cache write, against two limits measured in the same run: the same threads writing the same bytes with
/// pwrite to disjoint places of one file under no lock at all (the baseline), and one at a time under a lock. If
/// writers overlapping in the kernel beat writers taking turns, the lock across the write costs throughput; they do
/// not (bench/README.md), because the kernel serialises writes to one file anyway. Each operation moves
/// <see cref="BatchesPerOperation"/> batches (64 MiB); times are per batch.
/// Run: <c>dotnet run -c Release --project bench/Freshet.Benchmarks -- --filter *ConcurrentAppend* --buildTimeout 600</c>.
/// </summary>
[MemoryDiagnoser]
public class ConcurrentAppendBenchmarks : IDisposable
{
    private const int BatchBytes = LogAppendBenchmarks.BatchBytes;
    private const int BatchesPerOperation = LogAppendBenchmarks.BatchesPerOperation;

    private readonly Lock _serialise = new();
    private byte[][] _batches = [];
    private string _dir = "";
    private LogManager? _manager;
    private PartitionLog? _log;
    private SafeFileHandle? _raw;
    private long _rawPosition;

    [Params(1, 2, 4)]
    public int Appenders { get; set; }

    [IterationSetup]
    public void SetUp()
    {
        // One batch per appender: an append rewrites the batch's base offset in place.
        _batches = new byte[Appenders][];
        for (var i = 0; i < Appenders; i++)
        {
            _batches[i] = LogAppendBenchmarks.BuildBatch(BatchBytes);
        }
        _dir = Path.Combine(Path.GetTempPath(), "freshet-bench-" + Guid.NewGuid().ToString("N"));
        _manager = new LogManager(new LogManagerOptions { LogDirs = [_dir] }, NullLoggerFactory.Instance);
        _manager.LoadLogs(_ => new LogConfig());
        _log = _manager.CreateLog(new TopicPartition("bench", 0), KafkaUuid.NewRandom(), new LogConfig());
        _raw = File.OpenHandle(Path.Combine(_dir, "baseline.log"), FileMode.Create, FileAccess.Write, FileShare.Read);
        _rawPosition = 0;
    }

    [IterationCleanup]
    public void CleanUp()
    {
        _raw?.Dispose();
        _manager?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    public void Dispose()
    {
        _raw?.Dispose();
        _manager?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchesPerOperation)]
    public void RawPositionalWrites() => RunAppenders(static (self, batch) => self.WriteRaw(batch));

    [Benchmark(OperationsPerInvoke = BatchesPerOperation)]
    public void RawWritesOneAtATime() => RunAppenders(static (self, batch) =>
    {
        lock (self._serialise)
        {
            self.WriteRaw(batch);
        }
    });

    [Benchmark(OperationsPerInvoke = BatchesPerOperation)]
    public void PartitionLogAppends() => RunAppenders(static (self, batch) => self._log!.Append(batch, 0));

    private void WriteRaw(byte[] batch)
    {
        var position = Interlocked.Add(ref _rawPosition, batch.Length) - batch.Length;
        RandomAccess.Write(_raw!, batch, position);
    }

    private void RunAppenders(Action<ConcurrentAppendBenchmarks, byte[]> append)
    {
        var each = BatchesPerOperation / Appenders;
        var threads = new Thread[Appenders];
        for (var t = 0; t < threads.Length; t++)
        {
            var batch = _batches[t];
            threads[t] = new Thread(() =>
            {
                for (var i = 0; i < each; i++)
                {
                    append(this, batch);
                }
            });
            threads[t].Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }
    }
}
