using BenchmarkDotNet.Attributes;
using Freshet.Storage.Indexes;

namespace Freshet.Benchmarks;

/// <summary>
/// The offset index's binary search alone (no log scan, no system call): the index of a full 1 GiB segment at the
/// default index.interval.bytes (4 KiB), 262,144 entries, looked up at random offsets. LogLookupBenchmarks measures the whole read of which this is a part.
/// </summary>
[MemoryDiagnoser]
public class OffsetIndexBenchmarks : IDisposable
{
    private const int Lookups = 1024;
    private const int Entries = 1024 * 1024 * 1024 / 4096;

    private string _path = "";
    private OffsetIndex? _index;
    private long[] _targets = [];

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"freshet-bench-{Guid.NewGuid():N}.index");
        _index = OffsetIndex.Open(_path, baseOffset: 1_000_000, maxIndexBytes: Entries * OffsetIndex.Size, logSize: int.MaxValue, out _);
        for (var i = 0; i < Entries; i++)
        {
            // One entry per 4 KiB of log, about 37 records of 100 bytes each.
            _index.Append(1_000_000 + (i * 37L), (i + 1) * 4096);
        }
        var random = new Random(1);
        _targets = new long[Lookups];
        for (var i = 0; i < Lookups; i++)
        {
            _targets[i] = 1_000_000 + random.NextInt64(Entries * 37L);
        }
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public long Lookup()
    {
        long sum = 0;
        foreach (var target in _targets)
        {
            sum += _index!.Lookup(target).Position;
        }
        return sum;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _index?.Dispose();
        File.Delete(_path);
        GC.SuppressFinalize(this);
    }
}
