using BenchmarkDotNet.Attributes;
using Freshet.Protocol.Records;

namespace Freshet.Benchmarks;

/// <summary>
/// The produce path's per-batch cost (validate, then assign offsets) on a 16 KiB batch, next to
/// a plain copy of the same bytes as the floor; and raw CRC-32C throughput. Report GB/s as
/// 16 KiB / mean time.
/// </summary>
[MemoryDiagnoser]
public class RecordBatchBenchmarks
{
    private const int BatchSize = 16 * 1024;

    private byte[] _batch = [];
    private byte[] _scratch = [];
    private long _nextOffset;

    [GlobalSetup]
    public void Setup()
    {
        var records = new List<Record>();
        var value = new byte[100];
        Random.Shared.NextBytes(value);
        var payload = 0;
        for (var i = 0; payload < BatchSize - RecordBatchHeader.Size - 200; i++)
        {
            records.Add(new Record(i, 1_700_000_000_000 + i, null, value));
            payload += 110;
        }
        _batch = RecordBatchBuilder.Build(records.ToArray());
        _scratch = new byte[_batch.Length];
    }

    [Benchmark(Baseline = true)]
    public void Memcpy() => _batch.AsSpan().CopyTo(_scratch);

    [Benchmark]
    public long ValidateAndAssignOffsets()
    {
        if (RecordBatchValidator.Validate(_batch, out _) != RecordBatchError.None)
        {
            throw new InvalidOperationException("Benchmark batch is invalid.");
        }
        _nextOffset = RecordBatchRewriter.AssignOffsets(_batch, _nextOffset, 1, logAppendTime: null);
        return _nextOffset;
    }

    [Benchmark]
    public long ValidateAndAssignOffsetsWithLogAppendTime()
    {
        if (RecordBatchValidator.Validate(_batch, out _) != RecordBatchError.None)
        {
            throw new InvalidOperationException("Benchmark batch is invalid.");
        }
        _nextOffset = RecordBatchRewriter.AssignOffsets(_batch, _nextOffset, 1, logAppendTime: 1_700_000_000_000);
        return _nextOffset;
    }

    [Benchmark]
    public uint Crc32C16KiB() => Crc32C.Compute(_batch);
}
