using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Records;

/// <summary>
/// The payload of one Raft log entry: the records a controller operation appends atomically, each
/// framed by <see cref="MetadataRecordSerde"/> and prefixed by its length so a reader can check it
/// consumed exactly one record.
/// </summary>
public static class MetadataBatch
{
    public static byte[] Encode(IReadOnlyList<MetadataRecord> records)
    {
        using var body = new PooledBufferWriter();
        using var output = new PooledBufferWriter();
        var writer = new KafkaWriter(output);
        writer.WriteUnsignedVarInt((uint)records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            body.Reset();
            MetadataRecordSerde.Write(new KafkaWriter(body), records[i]);
            writer.WriteUnsignedVarInt((uint)body.WrittenCount);
            writer.WriteRaw(body.WrittenSpan);
        }
        return output.WrittenSpan.ToArray();
    }

    public static List<MetadataRecord> Decode(ReadOnlyMemory<byte> payload)
    {
        var reader = new KafkaReader(payload);
        var count = (int)reader.ReadUnsignedVarInt();
        if (count > reader.Remaining)
            throw new MalformedMessageException($"Metadata batch claims {count} records in {reader.Remaining} bytes.");
        var records = new List<MetadataRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var length = (int)reader.ReadUnsignedVarInt();
            var recordReader = new KafkaReader(reader.ReadRaw(length));
            records.Add(MetadataRecordSerde.Read(ref recordReader));
            if (!recordReader.End)
                throw new MalformedMessageException("Metadata record has trailing bytes.");
        }
        if (!reader.End)
            throw new MalformedMessageException("Metadata batch has trailing bytes.");
        return records;
    }
}
