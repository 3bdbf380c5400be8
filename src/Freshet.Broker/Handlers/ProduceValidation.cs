using System.Buffers.Binary;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Records;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>What validation decided for one partition's records: an error, or batches ready to append.</summary>
internal readonly record struct ProduceCheck(ErrorCode Error, string? Message, Memory<byte> Batches, long? LogAppendTime)
{
    public static ProduceCheck Fail(ErrorCode error, string message) => new(error, message, Memory<byte>.Empty, null);
}

/// <summary>
/// The broker-side checks Kafka makes before an append: whole batches only, magic 2 (older
/// message sets are converted), CRC-32C, size under max.message.bytes, and one batch per
/// partition from Produce v3 on. For LogAppendTime topics the timestamp is set here.
/// </summary>
internal static class ProduceValidation
{
    private const short FirstVersionWithSingleBatch = 3;

    public static ProduceCheck Validate(Memory<byte> records, LogConfig config, short version, TimeProvider clock)
    {
        if (records.Length <= RecordBatchHeader.MagicOffset)
        {
            return ProduceCheck.Fail(ErrorCode.CorruptMessage, $"Records of {records.Length} bytes are too short to hold a batch.");
        }
        var magic = (sbyte)records.Span[RecordBatchHeader.MagicOffset];
        if (magic < RecordBatchHeader.CurrentMagic)
        {
            if (!LegacyMessageSet.TryConvertToBatch(records.Span, out var converted, out var conversionError))
            {
                return ProduceCheck.Fail(ErrorCode.CorruptMessage, conversionError);
            }
            records = converted;
        }
        else if (magic > RecordBatchHeader.CurrentMagic)
        {
            return ProduceCheck.Fail(ErrorCode.UnsupportedForMessageFormat, $"Record batch magic {magic} is not supported.");
        }

        long? appendTime = config.LogAppendTime ? clock.GetUtcNow().ToUnixTimeMilliseconds() : null;
        var batchCount = 0;
        var rest = records;
        while (!rest.IsEmpty)
        {
            if (rest.Length < RecordBatchHeader.LogOverhead)
            {
                return ProduceCheck.Fail(ErrorCode.CorruptMessage, "The records end with a partial batch.");
            }
            var batchLength = BinaryPrimitives.ReadInt32BigEndian(rest.Span[RecordBatchHeader.BatchLengthOffset..]);
            var total = (long)batchLength + RecordBatchHeader.LogOverhead;
            if (batchLength < 0 || total > rest.Length)
            {
                return ProduceCheck.Fail(ErrorCode.CorruptMessage, $"Batch length {batchLength} does not fit the {rest.Length} bytes left.");
            }
            var batch = rest[..(int)total];
            if (batch.Length > config.MaxMessageBytes)
            {
                return ProduceCheck.Fail(ErrorCode.MessageTooLarge, $"A batch of {batch.Length} bytes is larger than max.message.bytes ({config.MaxMessageBytes}).");
            }
            var error = RecordBatchValidator.Validate(batch.Span, out var header);
            if (error != RecordBatchError.None)
            {
                return ProduceCheck.Fail(ErrorCode.CorruptMessage, $"Batch {batchCount} is invalid: {error}.");
            }
            if (appendTime is { } now)
            {
                RecordBatchRewriter.AssignOffsets(batch.Span, header.BaseOffset, header.PartitionLeaderEpoch, now);
            }
            batchCount++;
            rest = rest[(int)total..];
        }
        if (version >= FirstVersionWithSingleBatch && batchCount != 1)
        {
            return ProduceCheck.Fail(ErrorCode.InvalidRecord, $"Produce v{version} must carry exactly one record batch per partition, not {batchCount}.");
        }
        return new ProduceCheck(ErrorCode.None, null, records, appendTime);
    }
}
