using Freshet.Metadata.Image;

namespace Freshet.Metadata.Log;

/// <summary>
/// Serves a controller's committed metadata log to observers: the entries it still holds from an offset on, or,
/// for an observer further behind, the current image as a snapshot. Encoded snapshots are kept for the few latest
/// images so that a large one can be sent in pieces while the log moves on.
/// </summary>
public sealed class MetadataLogReader(ImageFeed feed, CommittedEntries entries)
{
    private const int KeptSnapshots = 4;

    private readonly Lock _snapshotsLock = new();
    private readonly LinkedList<(long EndOffset, byte[] Bytes)> _snapshots = new();

    public MetadataImage Image => feed.Image;

    /// <summary>What an observer asking for <paramref name="fromOffset"/> gets now.</summary>
    public MetadataLogRead Read(long fromOffset, int maxBytes)
    {
        var image = feed.Image;
        if (fromOffset > image.Offset)
            return MetadataLogRead.UpToDate(image);
        if (entries.TryRead(fromOffset, maxBytes, out var read) && read.Count > 0 && read[0].Offset == fromOffset)
            return MetadataLogRead.Of(image, read);
        return MetadataLogRead.NeedsSnapshot(image);
    }

    /// <summary>
    /// Waits up to <paramref name="maxWait"/> for something past <paramref name="fromOffset"/> - 1 to be committed,
    /// as a Fetch long poll does, then reads.
    /// </summary>
    public async Task<MetadataLogRead> ReadAsync(long fromOffset, int maxBytes, TimeSpan maxWait, CancellationToken token)
    {
        if (fromOffset > feed.Image.Offset && maxWait > TimeSpan.Zero)
        {
            try
            {
                await feed.WaitForOffsetAsync(fromOffset, token).WaitAsync(maxWait, token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
        return Read(fromOffset, maxBytes);
    }

    /// <summary>
    /// The snapshot whose end offset is <paramref name="endOffset"/> (the offset after its last entry), encoded by
    /// <see cref="MetadataLogFormat"/>; null when no kept snapshot has it (the observer starts over).
    /// </summary>
    public byte[]? Snapshot(long endOffset)
    {
        lock (_snapshotsLock)
        {
            foreach (var (end, bytes) in _snapshots)
            {
                if (end == endOffset)
                    return bytes;
            }
        }
        var image = feed.Image;
        if (image.Offset + 1 != endOffset)
            return null;
        var encoded = MetadataLogFormat.EncodeSnapshot(image);
        lock (_snapshotsLock)
        {
            _snapshots.AddFirst((endOffset, encoded));
            if (_snapshots.Count > KeptSnapshots)
                _snapshots.RemoveLast();
        }
        return encoded;
    }
}

/// <summary>The answer to an observer's fetch: entries, nothing new yet, or a snapshot to take first.</summary>
public sealed record MetadataLogRead(MetadataImage Image, IReadOnlyList<CommittedEntry> Entries, bool SnapshotRequired)
{
    /// <summary>The end offset of the snapshot an observer should fetch: the offset after the image's last entry.</summary>
    public long SnapshotEndOffset => Image.Offset + 1;

    public static MetadataLogRead Of(MetadataImage image, IReadOnlyList<CommittedEntry> entries) => new(image, entries, false);

    public static MetadataLogRead UpToDate(MetadataImage image) => new(image, [], false);

    public static MetadataLogRead NeedsSnapshot(MetadataImage image) => new(image, [], true);
}
