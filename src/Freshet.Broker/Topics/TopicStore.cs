using System.Text.Json;
using System.Text.Json.Serialization;
using Freshet.Protocol.Primitives;

namespace Freshet.Broker.Topics;

/// <summary>
/// Persists topic definitions in one JSON file in the first log directory, replaced
/// atomically (temp file, fsync, rename) so a crash leaves either the old or the new list.
/// A single-node stand-in for the replicated metadata log, which will hold the same facts.
/// </summary>
internal sealed class TopicStore(string directory)
{
    public const string FileName = "freshet-topics.json";

    private string FilePath => Path.Combine(directory, FileName);

    public IReadOnlyList<TopicDefinition> Load()
    {
        if (!File.Exists(FilePath))
        {
            return [];
        }
        var json = File.ReadAllBytes(FilePath);
        var stored = JsonSerializer.Deserialize(json, TopicStoreJson.Default.StoredTopicArray)
            ?? throw new InvalidDataException($"{FilePath} is empty or not a topic list.");
        return stored.Select(t => new TopicDefinition(t.Name, KafkaUuid.Parse(t.Id), t.Partitions, new Dictionary<string, string>(t.Configs ?? new Dictionary<string, string>(), StringComparer.Ordinal))).ToList();
    }

    public void Save(IEnumerable<TopicDefinition> topics)
    {
        var stored = topics
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new StoredTopic(t.Name, t.Id.ToString(), t.PartitionCount, new SortedDictionary<string, string>(t.ConfigOverrides.ToDictionary(), StringComparer.Ordinal)))
            .ToArray();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(stored, TopicStoreJson.Default.StoredTopicArray);
        Directory.CreateDirectory(directory);
        var temp = FilePath + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, FilePath, overwrite: true);
    }
}

internal sealed record StoredTopic(string Name, string Id, int Partitions, IDictionary<string, string>? Configs);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StoredTopic[]))]
internal sealed partial class TopicStoreJson : JsonSerializerContext;
