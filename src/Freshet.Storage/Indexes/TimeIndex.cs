using System.Buffers.Binary;

namespace Freshet.Storage.Indexes;

/// <summary>
/// The sparse time index (.timeindex): an entry when the segment's max timestamp has grown, at the same
/// index.interval.bytes points as the offset index, plus a final entry when the segment becomes inactive.
/// <code>
/// entry (12 bytes, big-endian):
///   0 timestamp      int64   the segment's max timestamp so far
///   8 relativeOffset int32   base offset of the batch that carries it - segment base offset
/// </code>
/// Timestamps increase strictly, offsets never decrease and stay below the segment's next offset; an all-zero
/// entry is preallocated space.
/// </summary>
internal sealed class TimeIndex : SparseIndex<TimestampRelativeOffset>
{
    public const int Size = 12;

    private readonly long _nextOffset;

    private TimeIndex(string path, long baseOffset, int maxIndexBytes, long nextOffset)
        : base(path, baseOffset, Size, maxIndexBytes)
    {
        _nextOffset = nextOffset;
    }

    public TimestampOffset? LastEntry =>
        Entries.Count == 0 ? null : new TimestampOffset(Entries.Last.Timestamp, BaseOffset + Entries.Last.RelativeOffset);

    /// <summary>Opens the file and keeps its longest valid prefix; <paramref name="isValid"/> is false when it had more.</summary>
    public static TimeIndex Open(string path, long baseOffset, int maxIndexBytes, long nextOffset, out bool isValid)
    {
        var index = new TimeIndex(path, baseOffset, maxIndexBytes, nextOffset);
        isValid = index.LoadValidPrefix();
        return index;
    }

    /// <summary>Appends when <paramref name="timestamp"/> is above the last entry's.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        if (Entries.Count == 0 || timestamp > Entries.Last.Timestamp)
        {
            Entries.Add(new TimestampRelativeOffset(timestamp, checked((int)(offset - BaseOffset))));
        }
    }

    /// <summary>
    /// Where a search for the first batch with max timestamp ≥ <paramref name="timestamp"/> starts: the offset of
    /// the greatest entry strictly below it (every batch up to that offset is below the target), or the segment start.
    /// </summary>
    public long Lookup(long timestamp)
    {
        var entries = Entries.Snapshot();
        int lo = 0, hi = entries.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (entries[mid].Timestamp < timestamp)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found < 0 ? BaseOffset : BaseOffset + entries[found].RelativeOffset;
    }

    protected override int RelativeOffsetOf(TimestampRelativeOffset entry) => entry.RelativeOffset;

    protected override TimestampRelativeOffset Decode(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadInt64BigEndian(bytes), BinaryPrimitives.ReadInt32BigEndian(bytes[8..]));

    protected override void Encode(TimestampRelativeOffset entry, Span<byte> bytes)
    {
        BinaryPrimitives.WriteInt64BigEndian(bytes, entry.Timestamp);
        BinaryPrimitives.WriteInt32BigEndian(bytes[8..], entry.RelativeOffset);
    }

    protected override bool IsValidAfter(TimestampRelativeOffset? previous, TimestampRelativeOffset entry) =>
        entry.Timestamp > (previous?.Timestamp ?? long.MinValue)
        && entry.RelativeOffset >= (previous?.RelativeOffset ?? 0)
        && BaseOffset + entry.RelativeOffset < _nextOffset;
}

internal readonly record struct TimestampRelativeOffset(long Timestamp, int RelativeOffset);
