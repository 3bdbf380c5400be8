namespace Freshet.Protocol.Records;

/// <summary>
/// Tells the record formats apart. Every magic starts with offset int64 and size int32; the byte
/// four bytes after them are partitionLeaderEpoch in v2 and the CRC in v0/v1, so the magic
/// sits at byte 16 in all three.
/// </summary>
public static class RecordsMagic
{
    public const int Offset = 16;

    /// <summary>The magic of the first batch or message in <paramref name="records"/>; -1 when too short to tell.</summary>
    public static sbyte Detect(ReadOnlySpan<byte> records) => records.Length > Offset ? (sbyte)records[Offset] : (sbyte)-1;
}
