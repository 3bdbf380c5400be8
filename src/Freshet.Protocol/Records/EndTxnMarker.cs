using System.Buffers.Binary;

namespace Freshet.Protocol.Records;

/// <summary>
/// The control record that ends a transaction on a partition: one record in a batch whose attributes are
/// transactional and control, with baseSequence -1. Layout of the record's key and value (big-endian):
/// <code>
/// key:   version int16 (0)   type int16 (0 = ABORT, 1 = COMMIT)
/// value: version int16 (0)   coordinatorEpoch int32
/// </code>
/// </summary>
public readonly record struct EndTxnMarker(bool IsCommit, int CoordinatorEpoch)
{
    public const short AbortType = 0;
    public const short CommitType = 1;
    private const short CurrentVersion = 0;
    private const int KeySize = 4;
    private const int ValueSize = 6;

    /// <summary>A whole marker batch for the producer, at base offset 0 (the log assigns the real one).</summary>
    public byte[] BuildBatch(long producerId, short producerEpoch, long timestamp)
    {
        var key = new byte[KeySize];
        BinaryPrimitives.WriteInt16BigEndian(key, CurrentVersion);
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(2), IsCommit ? CommitType : AbortType);
        var value = new byte[ValueSize];
        BinaryPrimitives.WriteInt16BigEndian(value, CurrentVersion);
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(2), CoordinatorEpoch);
        return RecordBatchBuilder.Build(
            [new Record(0, timestamp, key, value)],
            new RecordBatchOptions
            {
                ProducerId = producerId,
                ProducerEpoch = producerEpoch,
                BaseSequence = -1,
                IsTransactional = true,
                IsControl = true,
            });
    }

    /// <summary>
    /// Reads the marker from a whole control batch (uncompressed, as Kafka writes them). False when the first
    /// record is not a COMMIT or ABORT control record (Kafka reserves other types; they end no transaction).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> batch, out EndTxnMarker marker)
    {
        marker = default;
        if (batch.Length <= RecordBatchHeader.Size
            || RecordLayout.TryRead(batch, RecordBatchHeader.Size, out var layout) != RecordBatchError.None
            || layout.KeyLength < KeySize)
        {
            return false;
        }
        var type = BinaryPrimitives.ReadInt16BigEndian(batch[(layout.KeyStart + 2)..]);
        if (type is not (AbortType or CommitType))
        {
            return false;
        }
        var coordinatorEpoch = layout.ValueLength >= ValueSize ? BinaryPrimitives.ReadInt32BigEndian(batch[(layout.ValueStart + 2)..]) : 0;
        marker = new EndTxnMarker(type == CommitType, coordinatorEpoch);
        return true;
    }
}
