using System.Text;
using BenchmarkDotNet.Attributes;
using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;
using Freshet.Storage;
using Freshet.Storage.Cleaner;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Benchmarks;

/// <summary>
/// Cleaning one compacted log of <see cref="LogBytes"/> (1 MiB segments, lz4 batches of 16 records with 1 KiB values,
/// 10,000 keys each updated ~2 times): build the key map, rewrite every inactive segment, swap them in. Each
/// iteration starts from a copy of the same dirty log. MB/s = LogBytes / Mean.
/// Run: <c>dotnet run -c Release --project bench/Freshet.Benchmarks -- --filter *LogCleaner* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class LogCleanerBenchmarks : IDisposable
{
    public const int LogBytes = 32 * 1024 * 1024;

    private static readonly LogConfig Config = new()
    {
        SegmentBytes = 1024 * 1024,
        CleanupPolicy = "compact",
        MinCleanableDirtyRatio = 0.01,
    };

    private readonly string _template = Path.Combine(Path.GetTempPath(), "freshet-bench-clean-" + Guid.NewGuid().ToString("N"));
    private string _dir = "";
    private LogManager? _manager;
    private LogCleaner? _cleaner;

    [GlobalSetup]
    public void BuildTemplate()
    {
        using var manager = new LogManager(new LogManagerOptions { LogDirs = [_template], DefaultConfig = Config }, NullLoggerFactory.Instance);
        manager.LoadLogs(_ => Config);
        var log = manager.CreateLog(new TopicPartition("bench", 0), KafkaUuid.NewRandom(), Config);
        var value = new byte[1024];
        Random.Shared.NextBytes(value);
        var offset = 0;
        var records = new Record[16];
        long written = 0;
        while (written < LogBytes)
        {
            for (var i = 0; i < records.Length; i++, offset++)
            {
                records[i] = new Record(i, 1_700_000_000_000, Encoding.UTF8.GetBytes($"key-{offset * 7919 % 10_000}"), value);
            }
            var batch = RecordBatchBuilder.Build(records, new RecordBatchOptions { Compression = CompressionType.Lz4 });
            log.Append(batch, 0);
            written += batch.Length;
        }
    }

    [IterationSetup]
    public void CopyTemplate()
    {
        _dir = _template + "-" + Guid.NewGuid().ToString("N");
        Copy(_template, _dir);
        _manager = new LogManager(new LogManagerOptions { LogDirs = [_dir], DefaultConfig = Config }, NullLoggerFactory.Instance);
        _manager.LoadLogs(_ => Config);
        _cleaner = new LogCleaner(_manager, new LogCleanerOptions(), NullLoggerFactory.Instance, TimeProvider.System);
    }

    [Benchmark]
    public bool CleanLog() => _cleaner!.CleanOnce();

    [IterationCleanup]
    public void DeleteCopy()
    {
        _manager?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    public void Dispose()
    {
        if (Directory.Exists(_template))
        {
            Directory.Delete(_template, recursive: true);
        }
        GC.SuppressFinalize(this);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            if (Path.GetFileName(file) != LogFileNames.LockFile)
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }
        foreach (var dir in Directory.GetDirectories(from))
        {
            Copy(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }
}
