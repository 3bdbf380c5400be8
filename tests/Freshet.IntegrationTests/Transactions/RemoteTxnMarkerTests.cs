using Confluent.Kafka;
using Freshet.Broker.InterBroker;
using Freshet.Broker.Transactions;
using Freshet.IntegrationTests.Groups;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;
using static Freshet.IntegrationTests.Transactions.TransactionTestSupport;
using StoragePartition = Freshet.Storage.TopicPartition;
using ErrorCode = Freshet.Protocol.Messages.ErrorCode;

namespace Freshet.IntegrationTests.Transactions;

/// <summary>
/// A coordinator's markers for partitions led by another broker go there as WriteTxnMarkers, retried until that
/// broker's leader writes them; a marker of an older coordinator epoch is refused by the partition.
/// </summary>
public sealed class RemoteTxnMarkerTests
{
    private const int LeaderBroker = 2;
    private const int DeadBroker = 3;

    [Fact]
    public async Task A_marker_reaches_the_remote_leader_after_retries_and_an_older_coordinator_epoch_is_fenced()
    {
        await using var scope = await BrokerScope.StartAsync();
        var bootstrap = scope.BootstrapServers;
        await GroupTestSupport.CreateTopicAsync(bootstrap, "remote-markers", 1);
        using var producer = TransactionalProducer(bootstrap, "remote-markers-tx");
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        producer.BeginTransaction();
        producer.Produce("remote-markers", new Message<string, string> { Key = "k", Value = "first" });
        producer.Flush(TimeSpan.FromSeconds(30));
        Assert.Equal(0, EndOffset(bootstrap, "remote-markers", 0, IsolationLevel.ReadCommitted));
        var (producerId, producerEpoch) = await OpenProducerAsync(bootstrap);

        var partition = new StoragePartition("remote-markers", 0);
        var cluster = new FakeCluster(bootstrap);
        cluster.Leaders[partition] = DeadBroker;
        await using var writer = new ClusterTxnMarkerWriter(new NoLocalWrites(), cluster, cluster, topic => topic == "remote-markers", new TxnMarkerRetry(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100)));

        // The leader it is sent to cannot be reached: the marker waits, retrying, until the leader moves.
        var commit = writer.WriteAsync(partition, producerId, producerEpoch, coordinatorEpoch: 5, commit: true, CancellationToken.None).AsTask();
        await Task.Delay(500);
        Assert.False(commit.IsCompleted);
        cluster.Leaders[partition] = LeaderBroker;
        Assert.Equal(ErrorCode.None, await commit.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["first"], ReadAll(bootstrap, "remote-markers", 1, IsolationLevel.ReadCommitted));

        // The partition has seen coordinator epoch 5: a deposed coordinator (epoch 3) cannot end the next transaction.
        producer.Produce("remote-markers", new Message<string, string> { Key = "k", Value = "second" });
        producer.Flush(TimeSpan.FromSeconds(30));
        var fenced = await writer.WriteAsync(partition, producerId, producerEpoch, coordinatorEpoch: 3, commit: false, CancellationToken.None)
            .AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ErrorCode.TransactionCoordinatorFenced, fenced);

        // A partition of a deleted topic needs no marker; a resign cancels a marker still retrying.
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, await writer.WriteAsync(new StoragePartition("gone", 0), producerId, producerEpoch, 5, true, CancellationToken.None));
        cluster.Leaders[partition] = DeadBroker;
        using var resign = new CancellationTokenSource();
        var abandoned = writer.WriteAsync(partition, producerId, producerEpoch, 5, false, resign.Token).AsTask();
        await resign.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>The transactional producer with a transaction open on the partition, as DescribeProducers shows it.</summary>
    private static async Task<(long ProducerId, short ProducerEpoch)> OpenProducerAsync(string bootstrap)
    {
        using var connection = await RawConnection.ConnectAsync(bootstrap);
        var request = new DescribeProducersRequest { Topics = [new() { Name = "remote-markers", PartitionIndexes = [0] }] };
        await connection.SendAsync(request, 0);
        var (_, response) = await connection.ReadResponseAsync<DescribeProducersResponse>(ApiKey.DescribeProducers, 0);
        var open = Assert.Single(response.Topics[0].Partitions[0].ActiveProducers, p => p.CurrentTxnStartOffset >= 0);
        return (open.ProducerId, (short)open.ProducerEpoch);
    }

    /// <summary>Broker 2 is the test's broker, broker 3 an address nobody listens on; leaders are set by the test.</summary>
    private sealed class FakeCluster : IBrokerDirectory, IPartitionLeaderLookup
    {
        private readonly string _host;
        private readonly int _port;
        private readonly int _deadPort = ClosedPort();

        public FakeCluster(string bootstrap)
        {
            var colon = bootstrap.LastIndexOf(':');
            _host = bootstrap[..colon];
            _port = int.Parse(bootstrap[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }

        public System.Collections.Concurrent.ConcurrentDictionary<StoragePartition, int> Leaders { get; } = new();

        public int LocalBrokerId => 1;

        public bool TryGetEndpoint(int brokerId, out string host, out int port)
        {
            host = "127.0.0.1";
            port = brokerId == LeaderBroker ? _port : _deadPort;
            if (brokerId == LeaderBroker)
            {
                host = _host;
            }
            return brokerId is LeaderBroker or DeadBroker;
        }

        public bool TryGetLeader(StoragePartition partition, out int brokerId) => Leaders.TryGetValue(partition, out brokerId);

        /// <summary>A port nothing listens on: below the ephemeral range, so no broker of this run binds it by asking for port 0.</summary>
        private static int ClosedPort() => FreshetServer.FreePort();
    }

    /// <summary>Every partition is led elsewhere here; a local write would be a routing bug.</summary>
    private sealed class NoLocalWrites : ITxnMarkerWriter
    {
        public ValueTask<ErrorCode> WriteAsync(StoragePartition partition, long producerId, short producerEpoch, int coordinatorEpoch, bool commit, CancellationToken cancellation) =>
            throw new InvalidOperationException($"{partition.Topic}-{partition.Partition} is not led by this broker.");
    }
}
