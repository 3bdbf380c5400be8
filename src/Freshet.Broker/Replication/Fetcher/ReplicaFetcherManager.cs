using Freshet.Broker.Configuration;
using Freshet.Broker.InterBroker;
using Freshet.Storage;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Replication.Fetcher;

/// <summary>One replica fetcher per source broker; a partition moves between them as its leader changes.</summary>
internal sealed class ReplicaFetcherManager(IBrokerDirectory directory, BrokerOptions options, ILogger logger) : IAsyncDisposable
{
    private readonly Dictionary<int, ReplicaFetcher> _bySource = [];
    private readonly Dictionary<TopicPartition, int> _sourceOf = [];
    private bool _disposed;

    /// <summary>Fetches the partition from its current leader, in its current leader epoch, from its log end offset.</summary>
    public void Follow(Partition partition)
    {
        lock (_bySource)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var leader = partition.LeaderId;
            if (_sourceOf.TryGetValue(partition.Id, out var previous) && previous != leader)
            {
                _bySource[previous].Remove(partition.Id);
            }
            if (!_bySource.TryGetValue(leader, out var fetcher))
            {
                fetcher = new ReplicaFetcher(leader, directory, options, logger);
                _bySource.Add(leader, fetcher);
            }
            _sourceOf[partition.Id] = leader;
            fetcher.Add(partition, partition.LeaderEpoch);
        }
    }

    public void Stop(TopicPartition id)
    {
        lock (_bySource)
        {
            if (_sourceOf.Remove(id, out var source))
            {
                _bySource[source].Remove(id);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        ReplicaFetcher[] fetchers;
        lock (_bySource)
        {
            _disposed = true;
            fetchers = [.. _bySource.Values];
            _bySource.Clear();
            _sourceOf.Clear();
        }
        foreach (var fetcher in fetchers)
        {
            await fetcher.DisposeAsync().ConfigureAwait(false);
        }
    }
}
