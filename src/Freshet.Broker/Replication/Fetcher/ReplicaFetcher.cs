using Freshet.Broker.Configuration;
using Freshet.Broker.Diagnostics;
using Freshet.Broker.InterBroker;
using Freshet.Protocol.Messages;
using Freshet.Storage;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Replication.Fetcher;

/// <summary>
/// The loop that replicates every partition this broker follows from one leader broker: a long-polling replica
/// Fetch for all of them at their log end offsets, the records appended with the leader's offsets and epochs, the
/// follower's high watermark taken from the leader. A broken connection is reopened after replica.fetch.backoff.ms.
/// </summary>
internal sealed partial class ReplicaFetcher : IAsyncDisposable
{
    // The last Fetch version that names topics: a follower's topics are the leader's by name as well as by id.
    private const short FetchVersion = 12;

    private readonly int _sourceBrokerId;
    private readonly IBrokerDirectory _directory;
    private readonly BrokerOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<TopicPartition, FetchedPartition> _partitions = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BrokerClient? _client;

    public ReplicaFetcher(int sourceBrokerId, IBrokerDirectory directory, BrokerOptions options, ILogger logger)
    {
        _sourceBrokerId = sourceBrokerId;
        _directory = directory;
        _options = options;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public void Add(Partition partition, int leaderEpoch)
    {
        lock (_partitions)
        {
            _partitions[partition.Id] = new FetchedPartition(partition, leaderEpoch);
        }
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public void Remove(TopicPartition id)
    {
        lock (_partitions)
        {
            _partitions.Remove(id);
        }
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var changed = Volatile.Read(ref _changed).Task;
                var now = NowMs();
                var batch = Fetchable(now, out var nextUnpauseMs);
                if (batch.Count == 0)
                {
                    // Idle, or every partition paused: wake at the next hand-over or when the first pause ends.
                    var wait = Math.Clamp(nextUnpauseMs - now, 1, Math.Max(_options.ReplicaFetchBackoffMs, 1));
                    await Task.WhenAny(changed, Task.Delay(TimeSpan.FromMilliseconds(wait), token)).ConfigureAwait(false);
                    continue;
                }
                var client = await ConnectAsync(token).ConfigureAwait(false);
                var response = await client.SendAsync(BuildRequest(batch), FetchVersion, FetchResponse.Read, token).ConfigureAwait(false);
                if (response.ErrorCode != (short)ErrorCode.None)
                {
                    throw new IOException($"fetch answered {(ErrorCode)response.ErrorCode}");
                }
                await ApplyAsync(client, batch, response, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (IOException e)
            {
                ReplicationLog.FetchFailed(_logger, _sourceBrokerId, e.Message, _options.ReplicaFetchBackoffMs);
                await DropConnectionAsync().ConfigureAwait(false);
                await BackoffAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A fault of this broker's own (a log that cannot be written, a malformed answer) must not end the
                // loop, or its partitions would stop replicating silently; it is logged and the fetch retried.
                ReplicationLog.FetcherFault(_logger, _sourceBrokerId, e);
                await BackoffAsync(token).ConfigureAwait(false);
            }
        }
        await DropConnectionAsync().ConfigureAwait(false);
    }

    private List<FetchedPartition> Fetchable(long nowMs, out long nextUnpauseMs)
    {
        var batch = new List<FetchedPartition>();
        nextUnpauseMs = long.MaxValue;
        lock (_partitions)
        {
            foreach (var fetched in _partitions.Values)
            {
                if (fetched.PausedUntilMs <= nowMs)
                {
                    batch.Add(fetched);
                }
                else
                {
                    nextUnpauseMs = Math.Min(nextUnpauseMs, fetched.PausedUntilMs);
                }
            }
        }
        return batch;
    }

    private FetchRequest BuildRequest(List<FetchedPartition> batch)
    {
        var request = new FetchRequest
        {
            ReplicaId = _directory.LocalBrokerId,
            MaxWaitMs = _options.ReplicaFetchWaitMaxMs,
            MinBytes = _options.ReplicaFetchMinBytes,
            MaxBytes = _options.ReplicaFetchResponseMaxBytes,
            SessionId = 0,
            SessionEpoch = -1,
        };
        foreach (var fetched in batch)
        {
            var log = fetched.Partition.Log;
            FetchRequest.FetchTopic? topic = null;
            foreach (var existing in request.Topics)
            {
                if (existing.Topic == fetched.Partition.Id.Topic)
                {
                    topic = existing;
                    break;
                }
            }
            if (topic is null)
            {
                topic = new FetchRequest.FetchTopic { Topic = fetched.Partition.Id.Topic, TopicId = fetched.Partition.TopicId };
                request.Topics.Add(topic);
            }
            topic.Partitions.Add(new FetchRequest.FetchPartition
            {
                Partition = fetched.Partition.Id.Partition,
                CurrentLeaderEpoch = fetched.LeaderEpoch,
                FetchOffset = log.LogEndOffset,
                LastFetchedEpoch = log.LatestEpoch,
                LogStartOffset = log.LogStartOffset,
                PartitionMaxBytes = _options.ReplicaFetchMaxBytes,
            });
        }
        return request;
    }

    private async Task<BrokerClient> ConnectAsync(CancellationToken token)
    {
        if (_client is { IsConnected: true } client)
        {
            return client;
        }
        await DropConnectionAsync().ConfigureAwait(false);
        if (!_directory.TryGetEndpoint(_sourceBrokerId, out var host, out var port))
        {
            throw new IOException($"broker {_sourceBrokerId} has no registered endpoint");
        }
        _client = await BrokerClient.ConnectAsync(host, port, $"replica-fetcher-{_directory.LocalBrokerId}", token).ConfigureAwait(false);
        return _client;
    }

    private async Task DropConnectionAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task BackoffAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(_options.ReplicaFetchBackoffMs, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
