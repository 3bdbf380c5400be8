using Freshet.Broker.Configuration;
using Freshet.Broker.Diagnostics;
using Freshet.Broker.InterBroker;
using Freshet.Metadata.Log;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Cluster;

/// <summary>
/// A broker-only node's copy of the metadata log: it long-polls Fetch on <c>__cluster_metadata-0</c> from one
/// controller's Kafka-protocol listener and replays what comes back into its <see cref="ObservedMetadata"/>; when
/// the controller answers with a snapshot id, it first takes that snapshot with FetchSnapshot. Any controller serves
/// committed entries only, so it stays with one until it fails and then moves on to the next.
/// </summary>
internal sealed class MetadataFetcher : IAsyncDisposable
{
    public const string ClientId = "freshet-metadata-fetcher";

    private const int MaxWaitMs = 500;
    private const int MaxBytes = 8 * 1024 * 1024;
    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(100);

    private readonly ObservedMetadata _metadata;
    private readonly IReadOnlyList<ListenerAddress> _controllers;
    private readonly string _clusterId;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int _next;

    public MetadataFetcher(ObservedMetadata metadata, IReadOnlyList<ListenerAddress> controllers, string clusterId, ILogger logger)
    {
        _metadata = metadata;
        _controllers = controllers;
        _clusterId = clusterId;
        _logger = logger;
    }

    public void Start() => _loop = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            var controller = _controllers[_next++ % _controllers.Count];
            try
            {
                await using var client = await BrokerClient.ConnectAsync(controller.Host, controller.Port, ClientId, token).ConfigureAwait(false);
                while (true)
                {
                    await FetchOnceAsync(client, token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or MalformedMessageException or InvalidDataException)
            {
                ClusterLog.MetadataFetchFailed(_logger, $"{controller.Host}:{controller.Port}", e.Message);
            }
            try
            {
                await Task.Delay(RetryBackoff, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task FetchOnceAsync(BrokerClient client, CancellationToken token)
    {
        var request = new FetchRequest
        {
            ClusterId = _clusterId,
            ReplicaId = -1,
            MaxWaitMs = MaxWaitMs,
            MinBytes = 1,
            MaxBytes = MaxBytes,
            Topics =
            [
                new FetchRequest.FetchTopic
                {
                    Topic = MetadataLogFormat.TopicName,
                    Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = _metadata.NextOffset, PartitionMaxBytes = MaxBytes }],
                },
            ],
        };
        var response = await client.SendAsync(request, MetadataLogFormat.FetchVersion, FetchResponse.Read, token).ConfigureAwait(false);
        var partition = response.Responses is [{ Partitions: [var only] }]
            ? only
            : throw new InvalidDataException("The controller's Fetch response does not hold the metadata partition.");
        if (partition.ErrorCode != (short)ErrorCode.None)
        {
            throw new IOException($"The controller answered {(ErrorCode)partition.ErrorCode}.");
        }
        _metadata.ObserveLeader(partition.CurrentLeader.LeaderId);
        if (partition.SnapshotId.EndOffset >= 0)
        {
            await FetchSnapshotAsync(client, partition.SnapshotId.EndOffset, token).ConfigureAwait(false);
            return;
        }
        if (partition.Records is { IsEmpty: false } records && !_metadata.Append(MetadataLogFormat.DecodeEntries(records)))
        {
            throw new InvalidDataException($"The controller's entries do not follow on from offset {_metadata.Image.Offset}.");
        }
    }

    private async Task FetchSnapshotAsync(BrokerClient client, long endOffset, CancellationToken token)
    {
        byte[]? snapshot = null;
        long position = 0;
        while (snapshot is null || position < snapshot.Length)
        {
            var request = new FetchSnapshotRequest
            {
                ClusterId = _clusterId,
                ReplicaId = -1,
                MaxBytes = MaxBytes,
                Topics =
                [
                    new FetchSnapshotRequest.TopicSnapshot
                    {
                        Name = MetadataLogFormat.TopicName,
                        Partitions = [new FetchSnapshotRequest.PartitionSnapshot { Partition = 0, SnapshotId = new FetchSnapshotRequest.SnapshotId { EndOffset = endOffset, Epoch = 0 }, Position = position }],
                    },
                ],
            };
            var response = await client.SendAsync(request, 0, FetchSnapshotResponse.Read, token).ConfigureAwait(false);
            var partition = response.Topics is [{ Partitions: [var only] }] && response.ErrorCode == (short)ErrorCode.None
                ? only
                : throw new IOException($"The controller's FetchSnapshot response is unusable ({(ErrorCode)response.ErrorCode}).");
            if (partition.ErrorCode == (short)ErrorCode.SnapshotNotFound)
            {
                // The controller moved on to a newer snapshot meanwhile; the next Fetch names it.
                return;
            }
            if (partition.ErrorCode != (short)ErrorCode.None || partition.UnalignedRecords is not { } chunk
                || partition.Size is <= 0 or > int.MaxValue || partition.Position != position || (snapshot is not null && snapshot.Length != partition.Size))
            {
                throw new IOException($"The controller's snapshot piece is unusable ({(ErrorCode)partition.ErrorCode}).");
            }
            snapshot ??= new byte[partition.Size];
            if (chunk.Length == 0 || position + chunk.Length > snapshot.Length)
            {
                throw new IOException("The controller's snapshot piece does not fit the snapshot.");
            }
            chunk.CopyTo(snapshot.AsMemory((int)position));
            position += chunk.Length;
        }
        var image = MetadataLogFormat.DecodeSnapshot(snapshot);
        _metadata.LoadSnapshot(image);
        ClusterLog.MetadataSnapshotLoaded(_logger, image.Offset, snapshot.Length);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
