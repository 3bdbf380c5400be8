using System.Runtime.CompilerServices;

namespace Freshet.Metadata.Image;

/// <summary>
/// The latest metadata image and a signal for the next one. Readers take the current image, or wait for a later
/// offset, or follow every publication; a slow follower skips images it had no time for and gets the latest:
/// every image is complete, so nothing is lost.
/// </summary>
public sealed class ImageFeed
{
    private MetadataImage _image = MetadataImage.Empty;
    private TaskCompletionSource _published = NewSignal();

    public MetadataImage Image => Volatile.Read(ref _image);

    /// <summary>Completes the next time an image is published.</summary>
    public Task NextPublication => Volatile.Read(ref _published).Task;

    public void Publish(MetadataImage image)
    {
        Volatile.Write(ref _image, image);
        Interlocked.Exchange(ref _published, NewSignal()).TrySetResult();
    }

    /// <summary>Waits until an image at or past <paramref name="offset"/> is published.</summary>
    public async Task<MetadataImage> WaitForOffsetAsync(long offset, CancellationToken token = default)
    {
        while (true)
        {
            var next = NextPublication;
            var image = Image;
            if (image.Offset >= offset)
                return image;
            await next.WaitAsync(token).ConfigureAwait(false);
        }
    }

    /// <summary>Yields the current image, then each newer one as it is published.</summary>
    public async IAsyncEnumerable<MetadataImage> WatchAsync([EnumeratorCancellation] CancellationToken token = default)
    {
        MetadataImage? last = null;
        while (true)
        {
            var next = NextPublication;
            var image = Image;
            if (!ReferenceEquals(image, last))
            {
                last = image;
                yield return image;
            }
            await next.WaitAsync(token).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
