using System.Buffers;
using Freshet.Broker.Diagnostics;
using Freshet.Broker.Topics;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Replication.Selection;

/// <summary>
/// Fetch from the closest replica (KIP-392), on the leader: for a consumer's fetch, the replica the selector prefers
/// among this leader and the in-sync followers that hold the fetch offset and are live brokers in the metadata image.
/// Only the leader chooses, so a follower never sends a consumer on to another follower.
/// </summary>
internal sealed class PreferredReadReplicas(IReplicaSelector? selector, TopicCatalog catalog, ILogger logger)
{
    public const int None = -1;

    /// <summary>Whether a selector is configured: without one every consumer reads from the leader.</summary>
    public bool Enabled => selector is not null;

    /// <summary>The broker the consumer should read from instead of this leader, or <see cref="None"/> to read here.</summary>
    public int Find(Partition partition, string clientRack, long fetchOffset, string? clientId)
    {
        if (selector is null)
        {
            return None;
        }
        var replicaCount = partition.Replicas.Count;
        var views = ArrayPool<ReplicaView>.Shared.Rent(Math.Max(1, replicaCount));
        try
        {
            var count = partition.CollectReadReplicas(fetchOffset, views.AsSpan(0, Math.Max(1, replicaCount)));
            if (count == 0)
            {
                return None;
            }
            var brokers = catalog.Image.Brokers;
            var live = 0;
            for (var i = 0; i < count; i++)
            {
                var view = views[i];
                var registered = brokers.TryGetValue(view.BrokerId, out var broker);
                // The leader stays first whatever the image says; followers must be live and reachable by clients.
                if (i == 0 || (registered && !broker!.Fenced && broker.Endpoints.Length > 0))
                {
                    views[live++] = view with { Rack = registered ? broker!.Rack : null };
                }
            }
            var chosen = selector.Select(clientRack, views.AsSpan(0, live));
            if (chosen == views[0].BrokerId)
            {
                return None;
            }
            ReplicationLog.PreferredReadReplica(logger, partition.Id.Topic, partition.Id.Partition, clientId ?? "", clientRack, chosen, fetchOffset);
            return chosen;
        }
        finally
        {
            ArrayPool<ReplicaView>.Shared.Return(views, clearArray: true);
        }
    }

    /// <summary>Records a consumer fetch this follower answered with records, so follower reads can be observed.</summary>
    public void ServedAsFollower(Partition partition, string? clientId, long fetchOffset, int bytes) =>
        ReplicationLog.ServedAsFollower(logger, partition.Id.Topic, partition.Id.Partition, clientId ?? "", fetchOffset, bytes);
}
