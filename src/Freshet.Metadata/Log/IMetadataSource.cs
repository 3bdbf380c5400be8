using Freshet.Metadata.Image;

namespace Freshet.Metadata.Log;

/// <summary>
/// Where a node's metadata images come from: its own seat in the controller quorum (a controller), or the
/// committed log it fetches from the controllers (a broker-only node, an observer in Kafka's terms). The broker's
/// publisher, lifecycle and waits read images through this and do not care which.
/// </summary>
public interface IMetadataSource
{
    int NodeId { get; }

    /// <summary>The latest image; replace your reference to see later changes.</summary>
    MetadataImage Image { get; }

    /// <summary>The node id of the active controller as last seen, or null while none is known.</summary>
    int? LeaderId { get; }

    Task<MetadataImage> WaitForOffsetAsync(long offset, CancellationToken token = default);

    IAsyncEnumerable<MetadataImage> WatchAsync(CancellationToken token = default);
}
