using System.Globalization;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Records;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Kafka 3.6+ timestamp bounds for CreateTime topics: a record stamped more than
/// message.timestamp.before.max.ms in the past or message.timestamp.after.max.ms in the future
/// fails the partition with INVALID_TIMESTAMP. Records without a timestamp (-1) pass.
/// </summary>
internal static class ProduceTimestamps
{
    private const long NoTimestamp = -1;

    public static ProduceCheck Validate(ProduceCheck check, LogConfig config, long nowMs)
    {
        if (config.LogAppendTime)
        {
            return check;
        }
        // With the default before bound (Long.MAX_VALUE) no past timestamp can fail, and the
        // future bound only needs each batch's max timestamp: no record is decoded. A finite
        // before bound needs every record's timestamp, so the records are read then.
        var checkPast = config.MessageTimestampBeforeMaxMs < nowMs;
        foreach (var batch in new RecordBatchEnumerator(check.Batches.Span, verify: false))
        {
            if (TooLate(batch.Header.MaxTimestamp, config, nowMs))
            {
                return Fail(batch.Header.MaxTimestamp, config, nowMs);
            }
            if (!checkPast)
            {
                continue;
            }
            var error = RecordBatchReader.TryReadRecords(check.Batches.Slice(batch.Position, batch.Length), out _, out var records);
            if (error != RecordBatchError.None)
            {
                return ProduceCheck.Fail(ErrorCode.CorruptMessage, $"A batch cannot be read to check its timestamps: {error}.");
            }
            foreach (var record in records)
            {
                if (record.Timestamp != NoTimestamp && (record.Timestamp < nowMs - config.MessageTimestampBeforeMaxMs || TooLate(record.Timestamp, config, nowMs)))
                {
                    return Fail(record.Timestamp, config, nowMs);
                }
            }
        }
        return check;
    }

    private static bool TooLate(long timestamp, LogConfig config, long nowMs) =>
        timestamp != NoTimestamp && timestamp > Latest(config, nowMs);

    private static long Latest(LogConfig config, long nowMs) =>
        nowMs > long.MaxValue - config.MessageTimestampAfterMaxMs ? long.MaxValue : nowMs + config.MessageTimestampAfterMaxMs;

    private static ProduceCheck Fail(long timestamp, LogConfig config, long nowMs)
    {
        var earliest = config.MessageTimestampBeforeMaxMs >= nowMs ? "the beginning of time" : (nowMs - config.MessageTimestampBeforeMaxMs).ToString(CultureInfo.InvariantCulture);
        return ProduceCheck.Fail(ErrorCode.InvalidTimestamp, $"Timestamp {timestamp} of a record is out of range: it must be between {earliest} and {Latest(config, nowMs)} (message.timestamp.before.max.ms / message.timestamp.after.max.ms).");
    }
}
