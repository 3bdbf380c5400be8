using System.Buffers;
using System.Buffers.Binary;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Freshet.Metadata.Image;
using Freshet.Metadata.Log;
using Freshet.Metadata.Records;
using Freshet.Protocol.Primitives;
using Microsoft.Extensions.Logging;

namespace Freshet.Metadata.Quorum;

/// <summary>
/// Applies committed Raft entries (each a <see cref="MetadataBatch"/>) to the metadata image and
/// snapshots the image as records. DotNext calls <see cref="ApplyAsync"/> one entry at a time.
/// </summary>
internal sealed partial class MetadataStateMachine(DirectoryInfo snapshots, int snapshotEveryEntries, int retainedEntries, ILogger logger)
    : SimpleStateMachine(snapshots)
{
    /// <summary>The applied images.</summary>
    public ImageFeed Feed { get; } = new();

    /// <summary>The latest applied entries, for observers that fetch the log.</summary>
    public CommittedEntries Entries { get; } = new(retainedEntries);

    public MetadataImage Image => Feed.Image;

    protected override ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        var delta = new MetadataDelta(Image);
        byte[] bytes = [];
        if (entry.TryGetPayload(out var payload) && !payload.IsEmpty && !entry.IsConfiguration)
        {
            try
            {
                bytes = payload.ToArray();
                foreach (var record in MetadataBatch.Decode(bytes))
                    delta.Replay(record);
            }
            catch (MalformedMessageException e)
            {
                // A bad entry must not stop the log: skip it, loudly, and keep applying.
                LogBadEntry(logger, entry.Index, e.Message);
                delta = new MetadataDelta(Image);
            }
        }
        // The entry is retained before its image is published, so whoever sees the image can fetch the entry.
        Entries.Add(entry.Index, bytes);
        Feed.Publish(delta.Apply(entry.Index));
        if (entry.Context is TaskCompletionSource<long> receipt)
            receipt.TrySetResult(entry.Index);
        return new(entry.Index % snapshotEveryEntries == 0);
    }

    protected override ValueTask PersistAsync(IAsyncBinaryWriter writer, CancellationToken token)
    {
        var image = Image;
        var batch = MetadataBatch.Encode(ImageRecords.From(image));
        var buffer = new byte[sizeof(long) + batch.Length];
        BinaryPrimitives.WriteInt64BigEndian(buffer, image.Offset);
        batch.CopyTo(buffer.AsSpan(sizeof(long)));
        return writer.Invoke(buffer, token);
    }

    protected override async ValueTask RestoreAsync(FileInfo snapshotFile, CancellationToken token)
    {
        var bytes = await File.ReadAllBytesAsync(snapshotFile.FullName, token).ConfigureAwait(false);
        var offset = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var delta = new MetadataDelta(MetadataImage.Empty);
        foreach (var record in MetadataBatch.Decode(bytes.AsMemory(sizeof(long))))
            delta.Replay(record);
        Entries.Reset(offset + 1);
        Feed.Publish(delta.Apply(offset));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Skipping malformed metadata log entry {Index}: {Reason}")]
    private static partial void LogBadEntry(ILogger logger, long index, string reason);
}
