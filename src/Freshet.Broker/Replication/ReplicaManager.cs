using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Freshet.Broker.Configuration;
using Freshet.Broker.InterBroker;
using Freshet.Broker.Replication.Fetcher;
using Freshet.Broker.Topics;
using Freshet.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Broker.Replication;

/// <summary>
/// The partitions this broker hosts, each backed by a log from the <see cref="LogManager"/>, as leader or follower.
/// States from the metadata image set each partition's role; followers fetch from their leader's replica fetcher;
/// leaders drop followers that lag behind from the ISR on a timer, as Kafka's isr-expiration task does.
/// </summary>
internal sealed partial class ReplicaManager : IAsyncDisposable
{
    private readonly ConcurrentDictionary<TopicPartition, Partition> _partitions = new();
    private readonly LogManager _logs;
    private readonly BrokerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AlterPartitionForwarder _alterPartition;
    private readonly ITimer _isrExpiry;
    private IPartitionLeadershipListener[] _listeners = [];
    private IBrokerDirectory? _directory;
    private ReplicaFetcherManager? _fetchers;

    public ReplicaManager(LogManager logs, BrokerOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        _logs = logs;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _alterPartition = new AlterPartitionForwarder(_logger);
        var period = TimeSpan.FromMilliseconds(Math.Max(1, options.ReplicaLagTimeMaxMs / 2));
        _isrExpiry = _time.CreateTimer(_ => ShrinkIsrs(), null, period, period);
    }

    public int PartitionCount => _partitions.Count;

    /// <summary>This broker's id: the directory's once the broker is in a cluster, node.id before.</summary>
    public int LocalBrokerId => _directory?.LocalBrokerId ?? _options.NodeId;

    /// <summary>
    /// Joins a cluster: followers fetch from the brokers the directory names, leaders send ISR changes through
    /// <paramref name="alterPartition"/>. Called once, before the first <see cref="ApplyPartitionStates"/>.
    /// </summary>
    public void UseCluster(IBrokerDirectory directory, IAlterPartitionChannel alterPartition)
    {
        _directory = directory;
        _alterPartition.Target = alterPartition;
        _fetchers = new ReplicaFetcherManager(directory, _options, _logger);
    }

    public void AddLeadershipListener(IPartitionLeadershipListener listener)
    {
        lock (_partitions)
        {
            _listeners = [.. _listeners, listener];
        }
    }

    public LogConfig LogConfigFor(TopicDefinition topic) => LogConfigs.For(_options, topic.ConfigOverrides);

    public bool TryGetPartition(string topic, int partition, [NotNullWhen(true)] out Partition? result) =>
        _partitions.TryGetValue(new TopicPartition(topic, partition), out result);

    public bool TryGetPartition(TopicPartition id, [NotNullWhen(true)] out Partition? result) => _partitions.TryGetValue(id, out result);

    private Partition NewPartition(TopicPartition id, PartitionLog log) =>
        new(id, log.TopicId, log, LocalBrokerId, _alterPartition, _time);

    private void ShrinkIsrs()
    {
        foreach (var partition in _partitions.Values)
        {
            if (partition.IsLeader)
            {
                partition.MaybeShrinkIsr(_options.ReplicaLagTimeMaxMs);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _isrExpiry.DisposeAsync().ConfigureAwait(false);
        if (_fetchers is not null)
        {
            await _fetchers.DisposeAsync().ConfigureAwait(false);
        }
    }
}
