using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;
using Freshet.Protocol.Records.Legacy;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>What validation decided for one partition's records: an error, or batches ready to append.</summary>
internal readonly record struct ProduceCheck(ErrorCode Error, string? Message, Memory<byte> Batches)
{
    public static ProduceCheck Fail(ErrorCode error, string message) => new(error, message, Memory<byte>.Empty);
}

/// <summary>
/// The broker-side checks Kafka makes before an append: whole batches only, magic 2 (older
/// message sets are converted), CRC-32C, size under max.message.bytes, and one batch per
/// partition from Produce v3 on. The log then assigns offsets (and LogAppendTime) in place.
/// </summary>
internal static class ProduceValidation
{
    private const short FirstVersionWithSingleBatch = 3;
    private const short FirstVersionWithInvalidRecord = 8;

    public static ProduceCheck Validate(Memory<byte> records, LogConfig config, short version)
    {
        var magic = RecordsMagic.Detect(records.Span);
        if (magic < 0)
        {
            return ProduceCheck.Fail(ErrorCode.CorruptMessage, $"Records of {records.Length} bytes are too short to hold a batch.");
        }
        if (magic < RecordBatchHeader.CurrentMagic)
        {
            // Old producers: store what Kafka would, one v2 batch. Rare, so a fresh array is fine.
            using var converted = new PooledBufferWriter(records.Length + RecordBatchHeader.Size);
            if (!LegacyMessageSet.TryConvertToBatch(records.Span, converted, out var conversionError, RecordBatchReader.DefaultMaxDecompressedSize))
            {
                return ProduceCheck.Fail(ErrorCode.CorruptMessage, $"The message set cannot be read: {conversionError}.");
            }
            records = converted.WrittenSpan.ToArray();
        }
        else if (magic > RecordBatchHeader.CurrentMagic)
        {
            return ProduceCheck.Fail(ErrorCode.UnsupportedForMessageFormat, $"Record batch magic {magic} is not supported.");
        }

        var batchCount = 0;
        var enumerator = new RecordBatchEnumerator(records.Span, verify: true);
        while (enumerator.MoveNext())
        {
            var batch = enumerator.Current;
            if (batch.Length > config.MaxMessageBytes)
            {
                return ProduceCheck.Fail(ErrorCode.MessageTooLarge, $"A batch of {batch.Length} bytes is larger than max.message.bytes ({config.MaxMessageBytes}).");
            }
            if (batch.Header.RecordCount == 0)
            {
                return ProduceCheck.Fail(ErrorCode.InvalidRecord, "A produced batch must hold at least one record.");
            }
            if (ProducerFieldsError(batch.Header) is { } producerError)
            {
                var code = version >= FirstVersionWithInvalidRecord ? ErrorCode.InvalidRecord : ErrorCode.CorruptMessage;
                return ProduceCheck.Fail(code, producerError);
            }
            if (config.IsCompacted && !batch.Header.IsControl)
            {
                var keyError = RecordBatchReader.TryFindNullKey(batch.Bytes, out var hasNullKey);
                if (keyError != RecordBatchError.None || hasNullKey)
                {
                    // Kafka answers INVALID_RECORD (permanent for clients) from Produce v8, when it appeared; older
                    // clients get CORRUPT_MESSAGE.
                    var code = version >= FirstVersionWithInvalidRecord ? ErrorCode.InvalidRecord : ErrorCode.CorruptMessage;
                    return ProduceCheck.Fail(code, "Compacted topic cannot accept message without key.");
                }
            }
            batchCount++;
        }
        if (enumerator.Error != RecordBatchError.None)
        {
            return ProduceCheck.Fail(ErrorCode.CorruptMessage, $"Batch {batchCount} is invalid: {enumerator.Error}.");
        }
        if (version >= FirstVersionWithSingleBatch && batchCount != 1)
        {
            return ProduceCheck.Fail(ErrorCode.InvalidRecord, $"Produce v{version} must carry exactly one record batch per partition, not {batchCount}.");
        }
        return new ProduceCheck(ErrorCode.None, null, records);
    }

    /// <summary>Kafka's client-batch rules: no control batches, a sequence with every producer id, a producer id with every transaction.</summary>
    private static string? ProducerFieldsError(in RecordBatchHeader header)
    {
        if (header.IsControl)
        {
            return "Clients are not allowed to write control records.";
        }
        if (header.ProducerId >= 0 && header.BaseSequence < 0)
        {
            return $"Invalid sequence number {header.BaseSequence} in a batch with producer id {header.ProducerId}.";
        }
        if (header.IsTransactional && header.ProducerId < 0)
        {
            return "A transactional batch must carry a producer id.";
        }
        return null;
    }
}
