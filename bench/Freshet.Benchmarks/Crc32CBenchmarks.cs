using System.IO.Hashing;
using BenchmarkDotNet.Attributes;
using Freshet.Protocol.Records;

namespace Freshet.Benchmarks;

/// <summary>
/// CRC-32C as the broker computes it (<see cref="Crc32C.Compute"/>) against the raw speed of the CPU's CRC32
/// instruction fed one 8-byte word after another (the baseline), on a small batch, a typical batch, and
/// 16 KiB and 1 MiB. GB/s is Size / Mean.
/// </summary>
[MemoryDiagnoser]
public class Crc32CBenchmarks
{
    private byte[] _data = [];

    [Params(128, 512, 1024, 16 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(1).NextBytes(_data);
    }

    [Benchmark(Baseline = true)]
    public uint CrcInstructionSingleLane() => ~Crc32C.UpdateSingleLane(uint.MaxValue, _data);

    [Benchmark]
    public uint Compute() => Crc32C.Compute(_data);

    [Benchmark]
    public uint LibraryVectorised() => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, _data);
}
