using System.IO.Hashing;

namespace Freshet.Storage.Cleaner;

/// <summary>
/// Key → latest offset over a log's dirty section. Keys are held as 128-bit hashes, as Kafka's SkimpyOffsetMap
/// holds MD5s, so the map's memory does not depend on key sizes; a collision would drop a record, at odds
/// Kafka accepts too.
/// </summary>
internal sealed class OffsetMap(int capacity)
{
    private readonly Dictionary<UInt128, long> _offsets = [];

    public int Capacity { get; } = capacity;

    public int Count => _offsets.Count;

    public bool IsFull => _offsets.Count >= Capacity;

    public void Put(ReadOnlySpan<byte> key, long offset) => _offsets[XxHash128.HashToUInt128(key)] = offset;

    /// <summary>The latest offset of <paramref name="key"/>, or -1 when the dirty section does not hold it.</summary>
    public long Get(ReadOnlySpan<byte> key) => _offsets.TryGetValue(XxHash128.HashToUInt128(key), out var offset) ? offset : -1;

    public void Clear() => _offsets.Clear();
}
