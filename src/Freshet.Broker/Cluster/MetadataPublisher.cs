using Freshet.Broker.Configuration;
using Freshet.Broker.Diagnostics;
using Freshet.Broker.Replication;
using Freshet.Broker.Topics;
using Freshet.Metadata.Image;
using Freshet.Metadata.Log;
using Freshet.Storage;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Cluster;

/// <summary>
/// Applies each metadata image the quorum (or, on a broker-only node, the fetched metadata log) publishes to this broker: the topic catalog follows it, and every
/// partition with a replica here is created, made leader or follower, re-configured or removed as the image
/// says. Images are applied one at a time and in order; a slow apply skips to the latest image, which is
/// complete, so nothing is lost.
/// </summary>
internal sealed class MetadataPublisher : IAsyncDisposable
{
    private readonly IMetadataSource _source;
    private readonly TopicCatalog _catalog;
    private readonly ReplicaManager _replicas;
    private readonly BrokerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _waitersLock = new();
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private MetadataImage _applied = MetadataImage.Empty;

    public MetadataPublisher(IMetadataSource source, TopicCatalog catalog, ReplicaManager replicas, BrokerOptions options, ILogger logger)
    {
        _source = source;
        _catalog = catalog;
        _replicas = replicas;
        _options = options;
        _logger = logger;
    }

    /// <summary>The offset of the last image applied to this broker.</summary>
    public long AppliedOffset => Volatile.Read(ref _applied).Offset;

    /// <summary>The last image applied to this broker.</summary>
    public MetadataImage Applied => Volatile.Read(ref _applied);

    /// <summary>Applies the image the quorum has now (what the local log replayed at start-up), then follows later ones.</summary>
    public void Start()
    {
        Publish(_source.Image);
        _loop = Task.Run(FollowAsync);
    }

    /// <summary>Waits until this broker has applied the metadata log up to <paramref name="offset"/>.</summary>
    public async Task WaitForOffsetAsync(long offset, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (_waitersLock)
            {
                if (AppliedOffset >= offset)
                {
                    return;
                }
                next = _published.Task;
            }
            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for the applied image, checking after each new one;
    /// gives up quietly after <paramref name="timeout"/> (the caller's change is committed either way).
    /// </summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                Task next;
                lock (_waitersLock)
                {
                    next = _published.Task;
                }
                if (condition())
                {
                    return;
                }
                await next.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task FollowAsync()
    {
        try
        {
            await foreach (var image in _source.WatchAsync(_stop.Token).ConfigureAwait(false))
            {
                Publish(image);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private void Publish(MetadataImage image)
    {
        var previous = _applied;
        if (image.Offset <= previous.Offset && !ReferenceEquals(previous, MetadataImage.Empty))
        {
            return;
        }
        try
        {
            // Partitions first: once the catalog shows a topic (and FindCoordinator answers with this broker), its
            // partitions exist here and the coordinators have heard of their leadership.
            ApplyPartitions(previous, image);
            _catalog.Apply(image);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // A partition that cannot be opened must not stop this broker from following the rest of the cluster.
            ClusterLog.PublishFailed(_logger, image.Offset, e);
            _catalog.Apply(image);
        }
        Volatile.Write(ref _applied, image);
        lock (_waitersLock)
        {
            var published = _published;
            _published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            published.TrySetResult();
        }
    }

    private void ApplyPartitions(MetadataImage previous, MetadataImage image)
    {
        var local = _source.NodeId;
        var changes = new List<PartitionStateChange>();
        foreach (var topic in image.TopicsById.Values)
        {
            previous.TopicsById.TryGetValue(topic.Id, out var before);
            var resource = new ConfigResource(ConfigResource.TopicType, topic.Name);
            image.Configs.TryGetValue(resource, out var configs);
            previous.Configs.TryGetValue(resource, out var configsBefore);
            var configChanged = !ReferenceEquals(configs, configsBefore);
            IReadOnlyDictionary<string, string> overrides = configs is null ? new Dictionary<string, string>() : configs;
            LogConfig? config = null;
            foreach (var partition in topic.Partitions.Values)
            {
                if (!partition.Replicas.Contains(local))
                {
                    continue;
                }
                PartitionImage? old = null;
                if (before is not null && before.Partitions.TryGetValue(partition.PartitionId, out var p))
                {
                    old = p;
                }
                if (ReferenceEquals(old, partition) && !configChanged)
                {
                    continue;
                }
                config ??= LogConfigs.For(_options, overrides);
                changes.Add(new PartitionStateChange(
                    new TopicPartition(topic.Name, partition.PartitionId), topic.Id, partition, config, LogConfigs.MinInSyncReplicas(_options, overrides)));
            }
        }
        var removed = new List<TopicPartition>();
        foreach (var topic in previous.TopicsById.Values)
        {
            image.TopicsById.TryGetValue(topic.Id, out var after);
            foreach (var partition in topic.Partitions.Values)
            {
                if (!partition.Replicas.Contains(local))
                {
                    continue;
                }
                if (after is null || !after.Partitions.TryGetValue(partition.PartitionId, out var now) || !now.Replicas.Contains(local))
                {
                    removed.Add(new TopicPartition(topic.Name, partition.PartitionId));
                }
            }
        }
        if (removed.Count > 0)
        {
            _replicas.RemovePartitions(removed, deleteLogs: true);
        }
        if (changes.Count > 0)
        {
            _replicas.ApplyPartitionStates(changes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
