using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Configuration;
using Freshet.Broker.Hosting;
using BrokerPartition = Freshet.Broker.Replication.Partition;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Records;
using Microsoft.Extensions.Logging.Abstractions;
using ErrorCode = Freshet.Protocol.Messages.ErrorCode;
using Record = Freshet.Protocol.Records.Record;

namespace Freshet.IntegrationTests.Transactions;

/// <summary>
/// Transactions as a partition serves them: transactional batches written as a producer writes them, markers
/// written as the coordinator writes them (Partition.WriteTxnMarker), and Confluent consumers at both isolation
/// levels. read_committed stops at the last stable offset and drops aborted records; read_uncommitted sees every
/// data record; both skip the markers; the aborted-transaction index survives a restart.
/// </summary>
public sealed class ReadCommittedFetchTests
{
    private const string Topic = "txn-fetch";
    private const long ProducerA = 100;
    private const long ProducerB = 101;

    [Fact]
    public async Task Read_committed_sees_committed_records_below_the_last_stable_offset_only()
    {
        using var data = new TempDirectory();
        var host = await StartAsync(data.Path, port: 0);
        var port = host.BoundEndPoint.Port;
        try
        {
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = host.BootstrapServers }).Build())
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = 1, ReplicationFactor = 1 }]);
            }
            Assert.True(host.Replicas.TryGetPartition(Topic, 0, out var partition));
            Write(partition, "plain-0", producerId: -1);                              // 0
            Write(partition, "a-1", ProducerA, sequence: 0, transactional: true);     // 1
            Write(partition, "b-2", ProducerB, sequence: 0, transactional: true);     // 2
            Write(partition, "a-3", ProducerA, sequence: 1, transactional: true);     // 3
            Assert.Equal(1, partition.LastStableOffset);
            Assert.Equal(ErrorCode.None, partition.WriteTxnMarker(ProducerA, 0, coordinatorEpoch: 0, commit: true));   // 4
            Assert.Equal(2, partition.LastStableOffset);
            Assert.Equal(ErrorCode.None, partition.WriteTxnMarker(ProducerB, 0, coordinatorEpoch: 0, commit: false));  // 5
            Write(partition, "plain-6", producerId: -1);                              // 6
            Write(partition, "a-7", ProducerA, sequence: 2, transactional: true);     // 7: left open
            Assert.Equal(7, partition.LastStableOffset);
            Assert.Equal(ErrorCode.InvalidProducerEpoch, partition.WriteTxnMarker(ProducerA, -1, coordinatorEpoch: 0, commit: false));

            Assert.Equal(["plain-0", "a-1", "a-3", "plain-6"], Consume(host.BootstrapServers, IsolationLevel.ReadCommitted, expected: 4));
            Assert.Equal(["plain-0", "a-1", "b-2", "a-3", "plain-6", "a-7"], Consume(host.BootstrapServers, IsolationLevel.ReadUncommitted, expected: 6));
            await AssertFetchAsync(host.BootstrapServers, lastStableOffset: 7, abortedProducer: ProducerB, abortedFirstOffset: 2);
            Assert.Equal(7, ListLatest(host.BootstrapServers, IsolationLevel.ReadCommitted));
            Assert.Equal(8, ListLatest(host.BootstrapServers, IsolationLevel.ReadUncommitted));

            Assert.Equal(ErrorCode.None, partition.WriteTxnMarker(ProducerA, 0, coordinatorEpoch: 0, commit: true));   // 8
            Assert.Equal(9, partition.LastStableOffset);
            Assert.Equal(["plain-0", "a-1", "a-3", "plain-6", "a-7"], Consume(host.BootstrapServers, IsolationLevel.ReadCommitted, expected: 5));

            await host.DisposeAsync();
            host = await StartAsync(data.Path, port);
            Assert.True(host.Replicas.TryGetPartition(Topic, 0, out partition));
            Assert.Equal(9, partition.LastStableOffset);
            Assert.Equal(["plain-0", "a-1", "a-3", "plain-6", "a-7"], Consume(host.BootstrapServers, IsolationLevel.ReadCommitted, expected: 5));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static Task<BrokerHost> StartAsync(string directory, int port) =>
        BrokerHost.StartAsync(
            BrokerConfigLoader.Load([new("listeners", $"PLAINTEXT://127.0.0.1:{port}"), new("log.dirs", directory)]),
            NullLoggerFactory.Instance);

    private static void Write(BrokerPartition partition, string value, long producerId, int sequence = -1, bool transactional = false)
    {
        var batch = RecordBatchBuilder.Build(
            [new Record(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, System.Text.Encoding.UTF8.GetBytes(value))],
            new RecordBatchOptions { ProducerId = producerId, ProducerEpoch = (short)(producerId < 0 ? -1 : 0), BaseSequence = sequence, IsTransactional = transactional });
        partition.AppendAsLeader(batch);
    }

    private static List<string> Consume(string bootstrap, IsolationLevel isolation, int expected)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "txn-fetch-" + isolation,
            IsolationLevel = isolation,
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(Topic, 0, Offset.Beginning));
        var values = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null)
            {
                continue;
            }
            if (result.IsPartitionEOF)
            {
                if (values.Count >= expected)
                {
                    break;
                }
                continue;
            }
            values.Add(result.Message.Value);
        }
        return values;
    }

    private static long ListLatest(string bootstrap, IsolationLevel isolation)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "txn-list-" + isolation,
            IsolationLevel = isolation,
        }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(Topic, 0), TimeSpan.FromSeconds(10)).High.Value;
    }

    private static async Task AssertFetchAsync(string bootstrap, long lastStableOffset, long abortedProducer, long abortedFirstOffset)
    {
        using var connection = await RawConnection.ConnectAsync(bootstrap);
        foreach (sbyte isolation in new sbyte[] { 0, 1 })
        {
            var request = new FetchRequest { MaxWaitMs = 0, MaxBytes = 1 << 20, IsolationLevel = isolation };
            request.Topics.Add(new FetchRequest.FetchTopic
            {
                Topic = Topic,
                Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1 << 20 }],
            });
            await connection.SendAsync(request, 11);
            var (_, response) = await connection.ReadResponseAsync<FetchResponse>(ApiKey.Fetch, 11);
            var data = Assert.Single(Assert.Single(response.Responses).Partitions);
            Assert.Equal(lastStableOffset, data.LastStableOffset);
            if (isolation == 1)
            {
                var aborted = Assert.Single(data.AbortedTransactions!);
                Assert.Equal((abortedProducer, abortedFirstOffset), (aborted.ProducerId, aborted.FirstOffset));
            }
            else
            {
                Assert.Null(data.AbortedTransactions);
            }
        }
    }
}
