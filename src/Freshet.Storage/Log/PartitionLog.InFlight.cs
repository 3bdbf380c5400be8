using Freshet.Storage.Segments;

namespace Freshet.Storage;

/// <summary>
/// Appends in flight: a leader's append takes its offsets and file bytes under the append lock, writes them with no
/// lock held, then publishes them (segment size, log end offset) in the order the reservations were taken, so
/// readers never see a hole. Appenders to one partition thus overlap their writes; a slow write holds up only the
/// publication of the appends behind it, never their reservation.
/// </summary>
/// <remarks>
/// Everything else that takes the append lock (rolls, truncation, retention, the cleaner's swap, follower appends,
/// snapshots, close) first waits for the writes in flight to be published (<see cref="AwaitWritesInFlight"/>), so it
/// sees the bytes, the indexes, the producer state and the log end offset agree, as they did when the lock covered
/// the write. Those waits take no lock a writer needs: writers publish under the publish lock alone.
/// </remarks>
public sealed partial class PartitionLog
{
    private readonly object _publishLock = new();
    private int _writesInFlight;
    private long _reservedEndOffset;
    private bool _inFlightWriteFailed;

    /// <summary>The offset the next append gets: past the appends in flight. Under the append lock.</summary>
    private long NextOffsetToAssign() => Volatile.Read(ref _writesInFlight) > 0 ? _reservedEndOffset : _logEndOffset;

    /// <summary>An append has reserved offsets up to <paramref name="endOffset"/> and goes on to write them. Under the append lock.</summary>
    private void BeginWrite(long endOffset)
    {
        _reservedEndOffset = endOffset;
        lock (_publishLock)
        {
            _writesInFlight++;
        }
    }

    /// <summary>
    /// Publishes a written append once the appends reserved before it are published: the segment's size first, then
    /// the log end offset, as readers read them in the other order.
    /// </summary>
    /// <exception cref="IOException">An append reserved before this one failed its write; the log dir goes offline.</exception>
    private void PublishInOrder(LogSegment segment, int endPosition, long firstOffset, long endOffset)
    {
        lock (_publishLock)
        {
            try
            {
                while (Volatile.Read(ref _logEndOffset) != firstOffset)
                {
                    if (_inFlightWriteFailed)
                    {
                        throw new IOException($"An earlier append to {TopicPartition} failed; offsets from {firstOffset} cannot be published behind it.");
                    }
                    Monitor.Wait(_publishLock);
                }
                segment.Publish(endPosition);
                Volatile.Write(ref _logEndOffset, endOffset);
            }
            finally
            {
                _writesInFlight--;
                Monitor.PulseAll(_publishLock);
            }
        }
    }

    /// <summary>A reserved write failed: it is never published, and neither is any append behind it.</summary>
    private void FailWrite()
    {
        lock (_publishLock)
        {
            _inFlightWriteFailed = true;
            _writesInFlight--;
            Monitor.PulseAll(_publishLock);
        }
    }

    /// <summary>
    /// Returns once every append in flight is published (or failed). The caller holds the append lock, so no new
    /// one can start meanwhile.
    /// </summary>
    private void AwaitWritesInFlight()
    {
        lock (_publishLock)
        {
            while (_writesInFlight > 0)
            {
                Monitor.Wait(_publishLock);
            }
        }
    }
}
