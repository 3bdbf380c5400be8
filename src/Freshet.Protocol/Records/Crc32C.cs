using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Freshet.Protocol.Records;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of record batch v2. Inputs of a few hundred bytes and more go to
/// System.IO.Hashing, which folds 16 to 64 bytes per step with carry-less multiplication (PCLMULQDQ/PMULL on
/// 128-, 256- or 512-bit vectors) and is several times faster than one CRC32 instruction stream; shorter ones
/// run the instruction directly, where the library's per-call set-up would cost more than it saves.
/// </summary>
public static class Crc32C
{
    /// <summary>From here on the vectorised library wins (see RecordBatchBenchmarks / Crc32CBenchmarks).</summary>
    internal const int VectorisedThreshold = 512;

    public static uint Compute(ReadOnlySpan<byte> data) =>
        data.Length >= VectorisedThreshold
            ? Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data)
            : ~UpdateSingleLane(uint.MaxValue, data);

    /// <summary>Continues a CRC over more data; <paramref name="crc"/> is a previous result.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) => ~UpdateSingleLane(~crc, data);

    /// <summary>
    /// The raw CRC state (no pre- or post-inversion) after <paramref name="data"/>, one 8-byte word after the
    /// other through <see cref="BitOperations.Crc32C(uint, ulong)"/>: the speed of a single CRC32 instruction
    /// stream where the CPU has one (SSE4.2, ARMv8), a table lookup where it does not.
    /// </summary>
    public static uint UpdateSingleLane(uint state, ReadOnlySpan<byte> data)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        var length = data.Length;
        var i = 0;
        for (; i <= length - sizeof(ulong); i += sizeof(ulong))
        {
            state = BitOperations.Crc32C(state, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
        }
        if (i <= length - sizeof(uint))
        {
            state = BitOperations.Crc32C(state, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, i)));
            i += sizeof(uint);
        }
        for (; i < length; i++)
        {
            state = BitOperations.Crc32C(state, Unsafe.Add(ref start, i));
        }
        return state;
    }
}
