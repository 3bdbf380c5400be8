using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Freshet.Protocol.Primitives;

namespace Freshet.Broker.Topics;

/// <summary>
/// The topics this broker serves, by name and by id. Changes go through <see cref="TopicStore"/>
/// first so that what is in memory is always what a restart will load.
/// </summary>
internal sealed class TopicCatalog(TopicStore store)
{
    private readonly ConcurrentDictionary<string, TopicDefinition> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<KafkaUuid, TopicDefinition> _byId = new();
    private readonly Lock _writeLock = new();

    public int Count => _byName.Count;

    public void Load()
    {
        foreach (var topic in store.Load())
        {
            _byName[topic.Name] = topic;
            _byId[topic.Id] = topic;
        }
    }

    public bool TryGet(string name, [NotNullWhen(true)] out TopicDefinition? topic) => _byName.TryGetValue(name, out topic);

    public bool TryGet(KafkaUuid id, [NotNullWhen(true)] out TopicDefinition? topic) => _byId.TryGetValue(id, out topic);

    /// <summary>Every topic, sorted by name so Metadata answers are stable.</summary>
    public IReadOnlyList<TopicDefinition> Snapshot()
    {
        var topics = _byName.Values.ToList();
        topics.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return topics;
    }

    /// <summary>Adds the topic unless one of that name exists; false then.</summary>
    public bool TryAdd(TopicDefinition topic)
    {
        lock (_writeLock)
        {
            if (_byName.ContainsKey(topic.Name))
            {
                return false;
            }
            var all = _byName.Values.Append(topic).ToList();
            store.Save(all);
            _byName[topic.Name] = topic;
            _byId[topic.Id] = topic;
            return true;
        }
    }

    /// <summary>
    /// Replaces the definition of a topic that still exists with the same id, saving first; false
    /// when it was deleted (or deleted and recreated) meanwhile.
    /// </summary>
    public bool TryUpdate(TopicDefinition topic)
    {
        lock (_writeLock)
        {
            if (!_byName.TryGetValue(topic.Name, out var current) || current.Id != topic.Id)
            {
                return false;
            }
            var all = _byName.Values.Select(t => t.Name == topic.Name ? topic : t).ToList();
            store.Save(all);
            _byName[topic.Name] = topic;
            _byId[topic.Id] = topic;
            return true;
        }
    }

    public bool TryRemove(string name, [NotNullWhen(true)] out TopicDefinition? removed)
    {
        lock (_writeLock)
        {
            if (!_byName.TryGetValue(name, out removed))
            {
                return false;
            }
            var remaining = _byName.Values.Where(t => t.Name != name).ToList();
            store.Save(remaining);
            _byName.TryRemove(name, out _);
            _byId.TryRemove(removed.Id, out _);
            return true;
        }
    }
}
