using Freshet.Metadata.Image;
using Freshet.Metadata.Records;
using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;

namespace Freshet.Metadata.Log;

/// <summary>
/// How the metadata log travels in Fetch and FetchSnapshot responses on <c>__cluster_metadata-0</c>: record batches
/// (v2), one per log entry, the batch's base offset being the entry's offset and its single record's value the
/// entry's records as a <see cref="MetadataBatch"/>. A snapshot is one such batch at the image's offset holding the
/// image as records (<see cref="ImageRecords"/>). Offsets are those of the Raft log, where one entry is one offset.
/// </summary>
public static class MetadataLogFormat
{
    /// <summary>The metadata log's topic, as Kafka names it; its only partition is 0.</summary>
    public const string TopicName = "__cluster_metadata";

    /// <summary>
    /// The Fetch version observers use and controllers serve: the first with the tagged snapshot id and current
    /// leader, and the last that names topics (the metadata topic has no id in the image).
    /// </summary>
    public const short FetchVersion = 12;

    public static byte[] EncodeEntries(IReadOnlyList<CommittedEntry> entries)
    {
        using var output = new PooledBufferWriter();
        foreach (var entry in entries)
            AppendBatch(output, entry.Offset, entry.Payload);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] EncodeSnapshot(MetadataImage image)
    {
        using var output = new PooledBufferWriter();
        AppendBatch(output, image.Offset, MetadataBatch.Encode(ImageRecords.From(image)));
        return output.WrittenSpan.ToArray();
    }

    /// <exception cref="MalformedMessageException">The bytes are not whole, valid batches of one record each.</exception>
    public static List<CommittedEntry> DecodeEntries(ReadOnlyMemory<byte> batches)
    {
        var entries = new List<CommittedEntry>();
        var enumerator = new RecordBatchEnumerator(batches.Span);
        var slices = new List<(int Position, int Length)>();
        while (enumerator.MoveNext())
            slices.Add((enumerator.Current.Position, enumerator.Current.Length));
        if (enumerator.Error != RecordBatchError.None && !enumerator.HasPartialTrailingBatch)
            throw new MalformedMessageException($"Metadata log batch is invalid: {enumerator.Error}.");
        foreach (var (position, length) in slices)
        {
            var error = RecordBatchReader.TryReadRecords(batches.Slice(position, length), out var header, out var records);
            if (error != RecordBatchError.None || records.Length != 1 || records[0].Value is not { } value)
                throw new MalformedMessageException($"Metadata log batch at position {position} does not hold one entry ({error}).");
            entries.Add(new CommittedEntry(header.BaseOffset, value));
        }
        return entries;
    }

    /// <summary>The image a snapshot holds; its offset is the snapshot batch's base offset.</summary>
    public static MetadataImage DecodeSnapshot(ReadOnlyMemory<byte> snapshot)
    {
        var entries = DecodeEntries(snapshot);
        if (entries.Count != 1)
            throw new MalformedMessageException($"A metadata snapshot holds {entries.Count} batches instead of one.");
        var delta = new MetadataDelta(MetadataImage.Empty);
        foreach (var record in MetadataBatch.Decode(entries[0].Payload))
            delta.Replay(record);
        return delta.Apply(entries[0].Offset);
    }

    private static void AppendBatch(PooledBufferWriter output, long offset, ReadOnlyMemory<byte> payload)
    {
        ReadOnlySpan<Record> record = [new Record(offset, 0, null, payload)];
        RecordBatchBuilder.Build(output, record, new RecordBatchOptions { BaseOffset = offset });
    }
}
