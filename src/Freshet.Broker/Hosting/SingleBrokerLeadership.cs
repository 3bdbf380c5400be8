using Freshet.Broker.Replication;
using Freshet.Broker.Topics;
using Freshet.Storage;

namespace Freshet.Broker.Hosting;

/// <summary>
/// Leadership of the internal topics' partitions while this broker is the only one and no metadata image says
/// otherwise: it leads each of them at leader epoch 0, from start-up for those that exist and from creation for
/// those created later, and tells the coordinators so. It waits for their loads, so that on one broker a
/// coordinator is ready as soon as its topic exists, as it was before coordinators followed leadership.
/// </summary>
internal sealed class SingleBrokerLeadership : IPartitionLeadershipListener
{
    public const int LeaderEpoch = 0;

    private readonly List<(IPartitionLeadershipListener Listener, Func<Task> WhenLoaded)> _listeners = [];

    public void Add(IPartitionLeadershipListener listener, Func<Task> whenLoaded) => _listeners.Add((listener, whenLoaded));

    /// <summary>Leads every partition of the topic, if it exists.</summary>
    public void LeadAll(TopicCatalog catalog, string topicName)
    {
        if (!catalog.TryGet(topicName, out var topic))
        {
            return;
        }
        for (var index = 0; index < topic.PartitionCount; index++)
        {
            OnBecameLeader(new TopicPartition(topicName, index), LeaderEpoch);
        }
    }

    public void OnBecameLeader(TopicPartition partition, int leaderEpoch)
    {
        foreach (var (listener, _) in _listeners)
        {
            listener.OnBecameLeader(partition, leaderEpoch);
        }
        foreach (var (_, whenLoaded) in _listeners)
        {
            whenLoaded().GetAwaiter().GetResult();
        }
    }

    public void OnResigned(TopicPartition partition, int leaderEpoch)
    {
        foreach (var (listener, _) in _listeners)
        {
            listener.OnResigned(partition, leaderEpoch);
        }
    }
}
