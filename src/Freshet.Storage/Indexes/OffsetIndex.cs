using System.Buffers.Binary;

namespace Freshet.Storage.Indexes;

/// <summary>
/// The sparse offset index (.index): one entry per index.interval.bytes of log, for the batch that starts there.
/// <code>
/// entry (8 bytes, big-endian):
///   0 relativeOffset int32   batch base offset - segment base offset
///   4 position       int32   byte position of the batch in the .log
/// </code>
/// Entries increase strictly in both fields and point inside the log; no batch at position 0 is indexed, so an
/// all-zero entry is preallocated space. A lookup takes the greatest entry at or below the target and scans the
/// log forward.
/// </summary>
internal sealed class OffsetIndex : SparseIndex<OffsetPosition>
{
    public const int Size = 8;

    private readonly long _logSize;

    private OffsetIndex(string path, long baseOffset, int maxIndexBytes, long logSize)
        : base(path, baseOffset, Size, maxIndexBytes)
    {
        _logSize = logSize;
    }

    public OffsetPosition? LastEntry => Entries.Count == 0 ? null : Entries.Last;

    /// <summary>Opens the file and keeps its longest valid prefix; <paramref name="isValid"/> is false when it had more.</summary>
    public static OffsetIndex Open(string path, long baseOffset, int maxIndexBytes, long logSize, out bool isValid)
    {
        var index = new OffsetIndex(path, baseOffset, maxIndexBytes, logSize);
        isValid = index.LoadValidPrefix();
        return index;
    }

    public void Append(long offset, int position) =>
        Entries.Add(new OffsetPosition(checked((int)(offset - BaseOffset)), position));

    /// <summary>The greatest entry at or below <paramref name="offset"/>, or the segment start.</summary>
    public (long Offset, int Position) Lookup(long offset)
    {
        var entries = Entries.Snapshot();
        var relative = offset - BaseOffset;
        int lo = 0, hi = entries.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (entries[mid].RelativeOffset <= relative)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found < 0 ? (BaseOffset, 0) : (BaseOffset + entries[found].RelativeOffset, entries[found].Position);
    }

    protected override int RelativeOffsetOf(OffsetPosition entry) => entry.RelativeOffset;

    protected override OffsetPosition Decode(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadInt32BigEndian(bytes), BinaryPrimitives.ReadInt32BigEndian(bytes[4..]));

    protected override void Encode(OffsetPosition entry, Span<byte> bytes)
    {
        BinaryPrimitives.WriteInt32BigEndian(bytes, entry.RelativeOffset);
        BinaryPrimitives.WriteInt32BigEndian(bytes[4..], entry.Position);
    }

    protected override bool IsValidAfter(OffsetPosition? previous, OffsetPosition entry) =>
        entry.RelativeOffset > (previous?.RelativeOffset ?? -1)
        && entry.Position > (previous?.Position ?? 0)
        && entry.Position < _logSize;
}

internal readonly record struct OffsetPosition(int RelativeOffset, int Position);
