using System.Buffers.Binary;

namespace Freshet.IntegrationTests.Infrastructure;

/// <summary>
/// The record batches of one partition as a node's segment files hold them, read after the node has stopped, so
/// that replicas can be compared batch by batch: followers append the leader's batches unchanged.
/// </summary>
public static class ReplicaLogs
{
    /// <summary>
    /// One stored batch: the offsets it covers, its CRC-32C (over attributes to the end of the batch), and the
    /// producer id, epoch and base sequence it was written with, which tell a retried batch from a re-sent one.
    /// </summary>
    public readonly record struct StoredBatch(long BaseOffset, long LastOffset, uint Crc, long ProducerId, short ProducerEpoch, int BaseSequence);

    public static List<StoredBatch> Read(string partitionDirectory)
    {
        var batches = new List<StoredBatch>();
        if (!Directory.Exists(partitionDirectory))
            return batches;
        var segments = Directory.GetFiles(partitionDirectory, "*.log");
        Array.Sort(segments, StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            var bytes = File.ReadAllBytes(segment);
            var position = 0;
            // Batch layout: baseOffset int64, batchLength int32, partitionLeaderEpoch int32, magic int8, crc uint32,
            // attributes int16, lastOffsetDelta int32, baseTimestamp int64, maxTimestamp int64, producerId int64,
            // producerEpoch int16, baseSequence int32, ... (batchLength counts from partitionLeaderEpoch on).
            while (position + 61 <= bytes.Length)
            {
                var baseOffset = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(position));
                var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(position + 8));
                if (length <= 0 || position + 12 + length > bytes.Length)
                    break;
                var crc = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(position + 17));
                var lastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(position + 23));
                batches.Add(new StoredBatch(
                    baseOffset,
                    baseOffset + lastOffsetDelta,
                    crc,
                    BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(position + 43)),
                    BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(position + 51)),
                    BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(position + 53))));
                position += 12 + length;
            }
        }
        return batches;
    }

    /// <summary>
    /// Every offset that two replicas both hold must sit in the same batch with the same CRC on both. Returns the
    /// disagreements, described; an empty list means the replicas agree wherever they overlap.
    /// </summary>
    public static List<string> Disagreements(IReadOnlyDictionary<int, List<StoredBatch>> replicas)
    {
        var problems = new List<string>();
        foreach (var (nodeA, batchesA) in replicas)
        {
            foreach (var (nodeB, batchesB) in replicas)
            {
                if (nodeA >= nodeB)
                    continue;
                var j = 0;
                foreach (var a in batchesA)
                {
                    while (j < batchesB.Count && batchesB[j].LastOffset < a.BaseOffset)
                        j++;
                    for (var k = j; k < batchesB.Count && batchesB[k].BaseOffset <= a.LastOffset; k++)
                    {
                        if (batchesB[k] != a)
                            problems.Add($"node {nodeA} has {a} where node {nodeB} has {batchesB[k]}");
                    }
                }
            }
        }
        return problems;
    }
}
