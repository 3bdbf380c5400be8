using Freshet.Protocol.Primitives;
using Freshet.Storage.IO;

namespace Freshet.Storage.Checkpoints;

/// <summary>
/// partition.metadata in each partition directory, as Kafka writes it:
/// <code>
/// version: 0
/// topic_id: a-D3W1d0TxKdP-qZ0Q9qjg
/// </code>
/// </summary>
internal static class PartitionMetadataFile
{
    /// <param name="syncDirectory">False when the caller fsyncs the partition directory itself afterwards.</param>
    public static void Write(string partitionDir, KafkaUuid topicId, bool syncDirectory = true) =>
        AtomicFile.WriteAllText(Path.Combine(partitionDir, LogFileNames.PartitionMetadata), $"version: 0\ntopic_id: {topicId}\n", syncDirectory);

    /// <summary>The topic id, or <see cref="KafkaUuid.Zero"/> when the file is missing.</summary>
    public static KafkaUuid Read(string partitionDir)
    {
        var path = Path.Combine(partitionDir, LogFileNames.PartitionMetadata);
        if (!File.Exists(path))
        {
            return KafkaUuid.Zero;
        }
        foreach (var line in File.ReadAllLines(path))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim() == "topic_id")
            {
                return KafkaUuid.Parse(line[(colon + 1)..].Trim());
            }
        }
        throw new InvalidDataException($"'{path}' has no topic_id.");
    }
}
