using System.Collections.Immutable;

namespace Freshet.Metadata.Controller;

/// <summary>
/// Kafka's rack-aware replica assignment. Brokers are listed alternating between racks; partition i
/// has its first replica (its leader) at position (start + i) so leaders go round the list, and its
/// followers at a shift from it that grows every time the list wraps, so follower sets differ between
/// partitions led by the same broker. A follower is skipped while its rack already holds a replica and
/// some rack holds none. Brokers without a rack share one unnamed rack, so without racks this is the
/// plain round robin. With a whole number of rounds every broker leads and holds equally many replicas.
/// </summary>
internal sealed class ReplicaPlacer(Random random)
{
    public List<ImmutableArray<int>> Place(int partitions, int replicationFactor, IReadOnlyList<PlacementBroker> brokers)
    {
        if (replicationFactor < 1 || replicationFactor > brokers.Count)
            throw new ArgumentOutOfRangeException(nameof(replicationFactor), $"Replication factor {replicationFactor} with {brokers.Count} brokers.");

        var arranged = RackAlternated(brokers, out var racksById, out var rackCount);
        var n = arranged.Count;
        var start = random.Next(n);
        var shift = random.Next(n);
        var result = new List<ImmutableArray<int>>(partitions);
        var racksUsed = new HashSet<string>(StringComparer.Ordinal);
        var brokersUsed = new HashSet<int>();
        for (var p = 0; p < partitions; p++)
        {
            if (p > 0 && p % n == 0)
                shift++;
            var first = (p + start) % n;
            var replicas = ImmutableArray.CreateBuilder<int>(replicationFactor);
            racksUsed.Clear();
            brokersUsed.Clear();
            Take(arranged[first]);
            for (int r = 1, k = 0; r < replicationFactor; r++)
            {
                while (true)
                {
                    var candidate = arranged[FollowerIndex(first, shift * rackCount, k++, n)];
                    var rackFree = !racksUsed.Contains(racksById[candidate]) || racksUsed.Count == rackCount;
                    var brokerFree = !brokersUsed.Contains(candidate) || brokersUsed.Count == n;
                    if (rackFree && brokerFree)
                    {
                        Take(candidate);
                        break;
                    }
                }
            }
            result.Add(replicas.MoveToImmutable());

            void Take(int broker)
            {
                replicas.Add(broker);
                racksUsed.Add(racksById[broker]);
                brokersUsed.Add(broker);
            }
        }
        return result;
    }

    private static int FollowerIndex(int first, int shift, int k, int n) => (first + 1 + ((shift + k) % (n - 1))) % n;

    /// <summary>Brokers sorted by id within each rack, racks in name order, taken one from each rack in turn.</summary>
    private static List<int> RackAlternated(IReadOnlyList<PlacementBroker> brokers, out Dictionary<int, string> racksById, out int rackCount)
    {
        racksById = [];
        var byRack = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var broker in brokers)
        {
            var rack = broker.Rack ?? "";
            racksById[broker.Id] = rack;
            if (!byRack.TryGetValue(rack, out var members))
                byRack[rack] = members = [];
            members.Add(broker.Id);
        }
        rackCount = byRack.Count;
        var queues = new List<Queue<int>>(byRack.Count);
        foreach (var members in byRack.Values)
        {
            members.Sort();
            queues.Add(new Queue<int>(members));
        }
        var arranged = new List<int>(brokers.Count);
        for (var i = 0; arranged.Count < brokers.Count; i = (i + 1) % queues.Count)
        {
            if (queues[i].TryDequeue(out var broker))
                arranged.Add(broker);
        }
        return arranged;
    }
}
