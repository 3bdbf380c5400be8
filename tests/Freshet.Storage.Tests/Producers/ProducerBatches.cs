using Freshet.Protocol.Records;
using Record = Freshet.Protocol.Records.Record;

namespace Freshet.Storage.Tests.Producers;

/// <summary>Batches as idempotent and transactional producers send them, and the coordinator's markers.</summary>
internal static class ProducerBatches
{
    public static byte[] Data(long producerId, short epoch, int baseSequence, int records = 1, bool transactional = false, long timestamp = 1000)
    {
        var batch = new Record[records];
        for (var i = 0; i < records; i++)
        {
            batch[i] = new Record(i, timestamp, new byte[] { (byte)i }, new byte[] { 1, 2, 3 });
        }
        return RecordBatchBuilder.Build(batch, new RecordBatchOptions
        {
            ProducerId = producerId,
            ProducerEpoch = epoch,
            BaseSequence = baseSequence,
            IsTransactional = transactional,
        });
    }

    public static byte[] Marker(long producerId, short epoch, bool commit, int coordinatorEpoch = 0, long timestamp = 1000) =>
        new EndTxnMarker(commit, coordinatorEpoch).BuildBatch(producerId, epoch, timestamp);

    public static LogAppendInfo Append(this PartitionLog log, byte[] batch, AppendOrigin origin = AppendOrigin.Client) =>
        log.Append(batch, leaderEpoch: 0, origin);
}
