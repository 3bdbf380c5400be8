using Freshet.Protocol.Records;
using Freshet.Storage.IO;
using Microsoft.Win32.SafeHandles;

namespace Freshet.Storage.Segments;

/// <summary>Reads the 61-byte header of the batch at a position of a .log file (layout on <see cref="RecordBatchHeader"/>).</summary>
internal static class BatchHeaders
{
    /// <summary>The smallest batchLength a magic-2 batch can have: the header after the 12-byte log overhead.</summary>
    public const int MinBatchLength = RecordBatchHeader.Size - RecordBatchHeader.LogOverhead;

    /// <summary>
    /// Reads the header at <paramref name="position"/> when a whole batch of plausible length lies before
    /// <paramref name="limit"/>; false at the end of the data or on a length that cannot be a batch.
    /// </summary>
    public static bool TryRead(SafeFileHandle log, long position, long limit, out RecordBatchHeader header)
    {
        header = default;
        if (limit - position < RecordBatchHeader.Size)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[RecordBatchHeader.Size];
        if (!FileIo.TryReadExactly(log, bytes, position))
        {
            return false;
        }
        header = RecordBatchHeader.Read(bytes);
        return header.BatchLength >= MinBatchLength && position + header.TotalSize <= limit;
    }
}
