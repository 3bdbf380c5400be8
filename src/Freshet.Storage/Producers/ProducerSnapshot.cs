using System.Buffers.Binary;
using Freshet.Protocol.Records;

namespace Freshet.Storage.Producers;

/// <summary>
/// The bytes of a <c>.snapshot</c> file: the producer state at the offset in its name, in Kafka's layout
/// (version 1), big-endian:
/// <code>
/// version int16 (1)   crc uint32 (CRC-32C of every byte after it)   count int32, then count entries of 46 bytes:
///   producerId int64  epoch int16  lastSequence int32  lastOffset int64  offsetDelta int32  timestamp int64
///   coordinatorEpoch int32  currentTxnFirstOffset int64
/// </code>
/// Kafka writes one entry per producer, for its last batch. Freshet writes one entry per retained batch, oldest
/// first, so that retries of any of the last five batches are still recognised after a restart; a reader that
/// keeps the last entry per producer id (as Kafka's does) sees exactly Kafka's state.
/// </summary>
internal static class ProducerSnapshot
{
    public const short Version = 1;
    public const int HeaderSize = 10;
    public const int EntrySize = 46;
    private const int CrcOffset = 2;
    private const int CountOffset = 6;

    public static byte[] Write(ProducerStateManager state)
    {
        var count = 0;
        foreach (var entry in state.Entries)
        {
            count += Math.Max(1, entry.BatchCount);
        }
        var bytes = new byte[HeaderSize + (count * EntrySize)];
        BinaryPrimitives.WriteInt16BigEndian(bytes, Version);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(CountOffset), count);
        var position = HeaderSize;
        foreach (var entry in state.Entries)
        {
            if (entry.BatchCount == 0)
            {
                WriteEntry(bytes.AsSpan(position), entry, new BatchMetadata(-1, -1, 0, entry.LastTimestamp));
                position += EntrySize;
            }
            for (var i = 0; i < entry.BatchCount; i++)
            {
                var batch = entry.Batch(i);
                // The newest entry carries the producer's last write time, which a marker may have moved past its last batch.
                var timestamp = i == entry.BatchCount - 1 ? entry.LastTimestamp : batch.Timestamp;
                WriteEntry(bytes.AsSpan(position), entry, batch with { Timestamp = timestamp });
                position += EntrySize;
            }
        }
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(CrcOffset), Crc32C.Compute(bytes.AsSpan(CountOffset)));
        return bytes;
    }

    private static void WriteEntry(Span<byte> span, ProducerStateEntry entry, BatchMetadata batch)
    {
        BinaryPrimitives.WriteInt64BigEndian(span, entry.ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(span[8..], entry.Epoch);
        BinaryPrimitives.WriteInt32BigEndian(span[10..], batch.LastSequence);
        BinaryPrimitives.WriteInt64BigEndian(span[14..], batch.LastOffset);
        BinaryPrimitives.WriteInt32BigEndian(span[22..], batch.OffsetDelta);
        BinaryPrimitives.WriteInt64BigEndian(span[26..], batch.Timestamp);
        BinaryPrimitives.WriteInt32BigEndian(span[34..], entry.CoordinatorEpoch);
        BinaryPrimitives.WriteInt64BigEndian(span[38..], entry.CurrentTxnFirstOffset);
    }

    /// <summary>Rebuilds the state a snapshot holds.</summary>
    /// <exception cref="InvalidDataException">Wrong version, size or CRC.</exception>
    public static ProducerStateManager Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize || BinaryPrimitives.ReadInt16BigEndian(bytes) != Version)
        {
            throw new InvalidDataException($"A producer snapshot of {bytes.Length} bytes has no version {Version} header.");
        }
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes[CountOffset..]);
        if (count < 0 || bytes.Length != HeaderSize + ((long)count * EntrySize))
        {
            throw new InvalidDataException($"A producer snapshot of {bytes.Length} bytes cannot hold {count} entries.");
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(bytes[CrcOffset..]) != Crc32C.Compute(bytes[CountOffset..]))
        {
            throw new InvalidDataException("A producer snapshot fails its CRC-32C.");
        }
        var state = new ProducerStateManager();
        for (var i = 0; i < count; i++)
        {
            var span = bytes[(HeaderSize + (i * EntrySize))..];
            var batch = new BatchMetadata(
                BinaryPrimitives.ReadInt32BigEndian(span[10..]),
                BinaryPrimitives.ReadInt64BigEndian(span[14..]),
                BinaryPrimitives.ReadInt32BigEndian(span[22..]),
                BinaryPrimitives.ReadInt64BigEndian(span[26..]));
            state.Restore(
                BinaryPrimitives.ReadInt64BigEndian(span),
                BinaryPrimitives.ReadInt16BigEndian(span[8..]),
                batch,
                BinaryPrimitives.ReadInt32BigEndian(span[34..]),
                BinaryPrimitives.ReadInt64BigEndian(span[38..]));
        }
        return state;
    }
}
