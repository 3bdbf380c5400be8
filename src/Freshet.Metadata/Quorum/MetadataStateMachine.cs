using System.Buffers;
using System.Buffers.Binary;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Freshet.Metadata.Image;
using Freshet.Metadata.Records;
using Freshet.Protocol.Primitives;
using Microsoft.Extensions.Logging;

namespace Freshet.Metadata.Quorum;

/// <summary>
/// Applies committed Raft entries (each a <see cref="MetadataBatch"/>) to the metadata image and
/// snapshots the image as records. DotNext calls <see cref="ApplyAsync"/> one entry at a time.
/// </summary>
internal sealed partial class MetadataStateMachine(DirectoryInfo snapshots, int snapshotEveryEntries, ILogger logger)
    : SimpleStateMachine(snapshots)
{
    private MetadataImage _image = MetadataImage.Empty;
    private TaskCompletionSource _published = NewSignal();

    public MetadataImage Image => Volatile.Read(ref _image);

    /// <summary>Completes the next time an image is published.</summary>
    public Task NextPublication => Volatile.Read(ref _published).Task;

    protected override ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        var delta = new MetadataDelta(Image);
        if (entry.TryGetPayload(out var payload) && !payload.IsEmpty && !entry.IsConfiguration)
        {
            try
            {
                foreach (var record in MetadataBatch.Decode(payload.ToArray()))
                    delta.Replay(record);
            }
            catch (MalformedMessageException e)
            {
                // A bad entry must not stop the log: skip it, loudly, and keep applying.
                LogBadEntry(logger, entry.Index, e.Message);
                delta = new MetadataDelta(Image);
            }
        }
        Publish(delta.Apply(entry.Index));
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
        Publish(delta.Apply(offset));
    }

    private void Publish(MetadataImage image)
    {
        Volatile.Write(ref _image, image);
        Interlocked.Exchange(ref _published, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Error, Message = "Skipping malformed metadata log entry {Index}: {Reason}")]
    private static partial void LogBadEntry(ILogger logger, long index, string reason);
}
