using Freshet.Metadata.Image;
using Freshet.Metadata.Records;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Log;

/// <summary>
/// The metadata image of a node that is not a controller, rebuilt from the committed log it fetches: a snapshot
/// replaces the image, and each following entry is replayed on top of it in offset order, exactly as the quorum's
/// state machine applies them. It votes in nothing and writes nothing; it only follows.
/// </summary>
public sealed class ObservedMetadata(int nodeId) : IMetadataSource
{
    private readonly ImageFeed _feed = new();
    private int _leaderId = -1;

    public int NodeId => nodeId;

    public MetadataImage Image => _feed.Image;

    /// <summary>The offset the next fetch asks for.</summary>
    public long NextOffset => _feed.Image.Offset + 1;

    public int? LeaderId => Volatile.Read(ref _leaderId) is var id and >= 0 ? id : null;

    /// <summary>Records the active controller a controller named in its answer (-1: none known).</summary>
    public void ObserveLeader(int leaderId) => Volatile.Write(ref _leaderId, leaderId);

    /// <summary>Takes a snapshot's image in place of the current one, unless the current one is already as recent.</summary>
    public void LoadSnapshot(MetadataImage snapshot)
    {
        if (snapshot.Offset > Image.Offset || ReferenceEquals(Image, MetadataImage.Empty))
            _feed.Publish(snapshot);
    }

    /// <summary>
    /// Replays committed entries in order and publishes the resulting image. Entries the image already holds are
    /// skipped; false (and nothing applied past the gap) when an entry does not follow on from the image.
    /// </summary>
    public bool Append(IReadOnlyList<CommittedEntry> entries)
    {
        var image = Image;
        MetadataDelta? delta = null;
        var offset = image.Offset;
        var contiguous = true;
        foreach (var entry in entries)
        {
            if (entry.Offset <= offset)
                continue;
            if (entry.Offset != offset + 1)
            {
                contiguous = false;
                break;
            }
            delta ??= new MetadataDelta(image);
            offset = entry.Offset;
            if (entry.Payload.IsEmpty)
                continue;
            List<MetadataRecord> records;
            try
            {
                records = MetadataBatch.Decode(entry.Payload);
            }
            catch (MalformedMessageException)
            {
                // The controllers skipped this entry too (their state machine applies nothing of a bad entry).
                continue;
            }
            foreach (var record in records)
                delta.Replay(record);
        }
        if (delta is not null)
            _feed.Publish(delta.Apply(offset));
        return contiguous;
    }

    public Task<MetadataImage> WaitForOffsetAsync(long offset, CancellationToken token = default) => _feed.WaitForOffsetAsync(offset, token);

    public IAsyncEnumerable<MetadataImage> WatchAsync(CancellationToken token = default) => _feed.WatchAsync(token);
}
