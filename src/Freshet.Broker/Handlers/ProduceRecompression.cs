using System.Buffers;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Freshet.Protocol.Records;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>
/// compression.type other than <c>producer</c>: a batch in another codec is decompressed and
/// rebuilt in the topic's codec before the append, as Kafka's LogValidator does. Everything
/// else in the batch stays: offset deltas, timestamps, keys, values, headers, producer
/// id/epoch/sequence and the transactional and control flags.
/// </summary>
internal static class ProduceRecompression
{
    public static ProduceCheck Apply(ProduceCheck check, LogConfig config)
    {
        if (config.TargetCompression is not { } target || !NeedsRecompression(check.Batches.Span, target))
        {
            return check;
        }
        using var output = new PooledBufferWriter(check.Batches.Length + RecordBatchHeader.Size);
        var position = 0;
        var batches = check.Batches;
        while (position < batches.Length)
        {
            var header = RecordBatchHeader.Read(batches.Span[position..]);
            var batch = batches.Slice(position, header.TotalSize);
            position += header.TotalSize;
            if (header.Compression == target)
            {
                output.Write(batch.Span);
                continue;
            }
            var error = RecordBatchReader.TryReadRecords(batch, out _, out var records);
            if (error != RecordBatchError.None)
            {
                return ProduceCheck.Fail(ErrorCode.CorruptMessage, $"A batch cannot be decompressed for recompression to {target}: {error}.");
            }
            var before = output.WrittenCount;
            RecordBatchBuilder.Build(output, records, OptionsOf(header, target));
            var size = output.WrittenCount - before;
            if (size > config.MaxMessageBytes)
            {
                return ProduceCheck.Fail(ErrorCode.MessageTooLarge, $"The batch recompressed to {target} is {size} bytes, larger than max.message.bytes ({config.MaxMessageBytes}).");
            }
        }
        return new ProduceCheck(ErrorCode.None, null, output.WrittenSpan.ToArray());
    }

    private static bool NeedsRecompression(ReadOnlySpan<byte> batches, CompressionType target)
    {
        foreach (var batch in new RecordBatchEnumerator(batches, verify: false))
        {
            if (batch.Header.Compression != target)
            {
                return true;
            }
        }
        return false;
    }

    private static RecordBatchOptions OptionsOf(in RecordBatchHeader header, CompressionType target) => new()
    {
        BaseOffset = header.BaseOffset,
        PartitionLeaderEpoch = header.PartitionLeaderEpoch,
        Compression = target,
        TimestampType = header.TimestampType,
        ProducerId = header.ProducerId,
        ProducerEpoch = header.ProducerEpoch,
        BaseSequence = header.BaseSequence,
        IsTransactional = header.IsTransactional,
        IsControl = header.IsControl,
    };
}
