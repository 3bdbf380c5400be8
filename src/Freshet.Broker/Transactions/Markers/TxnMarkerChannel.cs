using System.Threading.Channels;
using Freshet.Broker.InterBroker;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Transactions;

/// <summary>One marker waiting for a broker's answer.</summary>
internal sealed record QueuedTxnMarker(
    TopicPartition Partition, long ProducerId, short ProducerEpoch, int CoordinatorEpoch, bool Commit, CancellationToken Cancellation)
{
    public TaskCompletionSource<ErrorCode> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The markers bound for one broker, as Kafka's TransactionMarkerChannelManager queues them per destination: whatever
/// has queued up while the previous request was out leaves in one WriteTxnMarkers request, one entry per producer and
/// decision. Each marker completes with its partition's error; a connection that cannot be made or breaks completes
/// every marker of the request with NETWORK_EXCEPTION (the writer retries) and is made afresh for the next one.
/// </summary>
internal sealed class TxnMarkerChannel : IAsyncDisposable
{
    private const short RequestVersion = WriteTxnMarkersRequest.HighestSupportedVersion;

    private readonly int _brokerId;
    private readonly IBrokerDirectory _directory;
    private readonly string _clientId;
    private readonly Channel<QueuedTxnMarker> _queue = Channel.CreateUnbounded<QueuedTxnMarker>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sender;
    private BrokerClient? _client;

    public TxnMarkerChannel(int brokerId, IBrokerDirectory directory, string clientId)
    {
        _brokerId = brokerId;
        _directory = directory;
        _clientId = clientId;
        _sender = Task.Run(SendLoopAsync);
    }

    public Task<ErrorCode> SendAsync(QueuedTxnMarker marker)
    {
        if (!_queue.Writer.TryWrite(marker))
        {
            marker.Done.TrySetCanceled();
        }
        return marker.Done.Task;
    }

    private async Task SendLoopAsync()
    {
        var batch = new List<QueuedTxnMarker>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                batch.Clear();
                while (_queue.Reader.TryRead(out var marker))
                {
                    if (marker.Cancellation.IsCancellationRequested)
                    {
                        marker.Done.TrySetCanceled(marker.Cancellation);
                    }
                    else
                    {
                        batch.Add(marker);
                    }
                }
                if (batch.Count > 0)
                {
                    await SendBatchAsync(batch).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping: whatever is left is cancelled below.
        }
        foreach (var marker in batch)
        {
            marker.Done.TrySetCanceled();
        }
        while (_queue.Reader.TryRead(out var left))
        {
            left.Done.TrySetCanceled();
        }
    }

    private async Task SendBatchAsync(List<QueuedTxnMarker> batch)
    {
        try
        {
            var client = await ConnectedClientAsync().ConfigureAwait(false);
            var response = await client.SendAsync(BuildRequest(batch), RequestVersion, WriteTxnMarkersResponse.Read, _stop.Token).ConfigureAwait(false);
            var errors = ErrorsOf(response);
            foreach (var marker in batch)
            {
                // A partition missing from the answer is retried like a lost answer.
                marker.Done.TrySetResult(errors.GetValueOrDefault((marker.ProducerId, marker.Partition), ErrorCode.NetworkException));
            }
        }
        catch (IOException)
        {
            await DropClientAsync().ConfigureAwait(false);
            foreach (var marker in batch)
            {
                marker.Done.TrySetResult(ErrorCode.NetworkException);
            }
        }
    }

    private async Task<BrokerClient> ConnectedClientAsync()
    {
        if (_client is { IsConnected: true } client)
        {
            return client;
        }
        await DropClientAsync().ConfigureAwait(false);
        if (!_directory.TryGetEndpoint(_brokerId, out var host, out var port))
        {
            throw new IOException($"Broker {_brokerId} has no registered endpoint.");
        }
        _client = await BrokerClient.ConnectAsync(host, port, _clientId, _stop.Token).ConfigureAwait(false);
        return _client;
    }

    private async Task DropClientAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One entry per producer, epoch, decision and coordinator epoch, its partitions grouped by topic.</summary>
    private static WriteTxnMarkersRequest BuildRequest(List<QueuedTxnMarker> batch)
    {
        var request = new WriteTxnMarkersRequest();
        var entries = new Dictionary<(long, short, bool, int), Dictionary<string, List<int>>>();
        foreach (var marker in batch)
        {
            var key = (marker.ProducerId, marker.ProducerEpoch, marker.Commit, marker.CoordinatorEpoch);
            if (!entries.TryGetValue(key, out var byTopic))
            {
                entries[key] = byTopic = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            }
            if (!byTopic.TryGetValue(marker.Partition.Topic, out var partitions))
            {
                byTopic[marker.Partition.Topic] = partitions = [];
            }
            partitions.Add(marker.Partition.Partition);
        }
        foreach (var ((producerId, producerEpoch, commit, coordinatorEpoch), byTopic) in entries)
        {
            var entry = new WriteTxnMarkersRequest.WritableTxnMarker
            {
                ProducerId = producerId,
                ProducerEpoch = producerEpoch,
                TransactionResult = commit,
                CoordinatorEpoch = coordinatorEpoch,
            };
            foreach (var (topic, partitions) in byTopic)
            {
                entry.Topics.Add(new WriteTxnMarkersRequest.WritableTxnMarkerTopic { Name = topic, PartitionIndexes = partitions });
            }
            request.Markers.Add(entry);
        }
        return request;
    }

    private static Dictionary<(long, TopicPartition), ErrorCode> ErrorsOf(WriteTxnMarkersResponse response)
    {
        var errors = new Dictionary<(long, TopicPartition), ErrorCode>();
        foreach (var marker in response.Markers)
        {
            foreach (var topic in marker.Topics)
            {
                foreach (var partition in topic.Partitions)
                {
                    errors[(marker.ProducerId, new TopicPartition(topic.Name, partition.PartitionIndex))] = (ErrorCode)partition.ErrorCode;
                }
            }
        }
        return errors;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _sender.ConfigureAwait(false);
        await DropClientAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
