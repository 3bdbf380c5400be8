using BenchmarkDotNet.Attributes;
using Freshet.Protocol.Primitives;
using Freshet.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Benchmarks;

/// <summary>
/// Appends of 1 KiB batches by 1 or 8 concurrent appenders to one log, with flush.messages=1 (every append is
/// fsynced before it returns, as before a Produce acknowledgement) and without (page cache only). With group
/// commit, appenders that arrive during an fsync share the next one, so 8 appenders should reach several times the
/// fsync rate of 1. Times are per append; appends/s = 1 s / Mean.
/// Run: <c>dotnet run -c Release --project bench/Freshet.Benchmarks -- --filter *GroupCommit* --job short</c>.
/// </summary>
public class GroupCommitBenchmarks : IDisposable
{
    private const int AppendsPerInvoke = 800;

    private readonly byte[] _batch = LogAppendBenchmarks.BuildBatch(1024);
    private string _dir = "";
    private LogManager? _manager;
    private PartitionLog? _log;

    [Params(1, 8)]
    public int Appenders { get; set; }

    [Params(true, false)]
    public bool FsyncEachAppend { get; set; }

    [IterationSetup]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "freshet-bench-" + Guid.NewGuid().ToString("N"));
        var config = new LogConfig { FlushIntervalMessages = FsyncEachAppend ? 1 : long.MaxValue };
        _manager = new LogManager(new LogManagerOptions { LogDirs = [_dir], DefaultConfig = config }, NullLoggerFactory.Instance);
        _manager.LoadLogs(_ => config);
        _log = _manager.CreateLog(new TopicPartition("bench", 0), KafkaUuid.NewRandom(), config);
    }

    [IterationCleanup]
    public void CleanUp()
    {
        _manager?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvoke)]
    public void Append()
    {
        var log = _log!;
        var perAppender = AppendsPerInvoke / Appenders;
        var threads = new Thread[Appenders];
        for (var t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(() =>
            {
                var batch = (byte[])_batch.Clone();
                for (var i = 0; i < perAppender; i++)
                {
                    log.Append(batch, 0);
                }
            });
            threads[t].Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }
    }

    public void Dispose()
    {
        _manager?.Dispose();
        GC.SuppressFinalize(this);
    }
}
