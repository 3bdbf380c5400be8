using BenchmarkDotNet.Attributes;
using Freshet.Protocol.Primitives;
using Freshet.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Benchmarks;

/// <summary>
/// Offset and timestamp lookups on a log of many segments, through the public API a fetch and a ListOffsets take:
/// <see cref="PartitionLog.Read"/> (segment binary search, offset index floor entry, forward scan to the batch) and
/// <see cref="PartitionLog.FindOffsetByTimestamp"/> (segment max timestamps, time index, offset index, scan).
/// 256 MiB of 1 KiB batches (100 records each) in 1 MiB segments: 256 segments, ~250 index entries each (one per
/// 4 KiB). Targets are random; everything is in the page cache. Times are per lookup.
/// Run: <c>dotnet run -c Release --project bench/Freshet.Benchmarks -- --filter *LogLookup* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class LogLookupBenchmarks : IDisposable
{
    private const int Lookups = 1024;
    private const int BatchBytes = 1024;
    private const int Batches = 256 * 1024;
    private const long FirstTimestamp = 1_700_000_000_000;

    private readonly long[] _offsets = new long[Lookups];
    private readonly long[] _timestamps = new long[Lookups];
    private string _dir = "";
    private LogManager? _manager;
    private PartitionLog? _log;

    [GlobalSetup]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "freshet-bench-" + Guid.NewGuid().ToString("N"));
        var config = new LogConfig { SegmentBytes = 1024 * 1024 };
        _manager = new LogManager(new LogManagerOptions { LogDirs = [_dir], DefaultConfig = config }, NullLoggerFactory.Instance);
        _manager.LoadLogs(_ => config);
        _log = _manager.CreateLog(new TopicPartition("bench", 0), KafkaUuid.NewRandom(), config);
        for (var i = 0; i < Batches; i++)
        {
            // One millisecond per batch, so timestamps map to batches one to one.
            _log.Append(LogAppendBenchmarks.BuildBatch(BatchBytes, FirstTimestamp + i), 0);
        }
        var random = new Random(42);
        for (var i = 0; i < Lookups; i++)
        {
            _offsets[i] = random.NextInt64(_log.LogEndOffset);
            _timestamps[i] = FirstTimestamp + random.Next(Batches);
        }
        // Touch every index once, so the lazily loaded ones are not part of the first measurement.
        foreach (var ts in _timestamps)
        {
            _log.FindOffsetByTimestamp(ts);
        }
        Console.WriteLine($"// {_log.SegmentCount} segments, {_log.LogEndOffset} offsets");
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public long OffsetLookup()
    {
        var log = _log!;
        long sum = 0;
        foreach (var offset in _offsets)
        {
            sum += log.Read(offset, 1, long.MaxValue, minOneBatch: true).Records.Position;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public long TimestampLookup()
    {
        var log = _log!;
        long sum = 0;
        foreach (var timestamp in _timestamps)
        {
            sum += log.FindOffsetByTimestamp(timestamp)!.Value.Offset;
        }
        return sum;
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _manager?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    public void Dispose()
    {
        _manager?.Dispose();
        GC.SuppressFinalize(this);
    }
}
