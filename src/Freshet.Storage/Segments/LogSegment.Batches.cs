using Freshet.Protocol.Records;

namespace Freshet.Storage.Segments;

internal sealed partial class LogSegment
{
    /// <summary>
    /// The headers and positions of the batches from the one holding <paramref name="offset"/> on (recovery's replay
    /// of producer state; it reads headers only, and whole batches only for the few that need it).
    /// </summary>
    public IEnumerable<(RecordBatchHeader Header, int Position)> BatchesFrom(long offset)
    {
        var limit = Size;
        if (!TryFindBatch(offset, limit, out var position, out var header))
        {
            yield break;
        }
        do
        {
            yield return (header, position);
            position += header.TotalSize;
        }
        while (BatchHeaders.TryRead(_log, position, limit, out header));
    }

    /// <summary>Reads the whole batch at <paramref name="position"/> into <paramref name="buffer"/>.</summary>
    public bool TryReadBatch(int position, Span<byte> buffer) => IO.FileIo.TryReadExactly(_log, buffer, position);
}
