using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Records;
using ErrorCode = Freshet.Protocol.Messages.ErrorCode;
using Record = Freshet.Protocol.Records.Record;

namespace Freshet.IntegrationTests.Transactions;

/// <summary>InitProducerId, idempotent Produce and DescribeProducers on the wire, with Kafka's error codes.</summary>
public sealed class IdempotenceWireTests
{
    private const string Topic = "idempotence-wire";

    [Fact]
    public async Task Producer_ids_are_new_every_time_and_never_repeat_after_a_restart()
    {
        await using var scope = await BrokerScope.StartAsync();
        var first = await InitProducerIdAsync(scope.BootstrapServers);
        var second = await InitProducerIdAsync(scope.BootstrapServers);
        Assert.Equal((short)0, first.ProducerEpoch);
        Assert.True(second.ProducerId > first.ProducerId);
        await scope.RestartAsync();
        var third = await InitProducerIdAsync(scope.BootstrapServers);
        Assert.Equal((short)ErrorCode.None, third.ErrorCode);
        Assert.True(third.ProducerId > second.ProducerId);
    }

    [Fact]
    public async Task Retries_gaps_old_epochs_and_control_batches_get_kafkas_answers()
    {
        await using var scope = await BrokerScope.StartAsync();
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = scope.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = 1, ReplicationFactor = 1 }]);
        }
        var producerId = (await InitProducerIdAsync(scope.BootstrapServers)).ProducerId;
        using var connection = await RawConnection.ConnectAsync(scope.BootstrapServers);

        Assert.Equal((ErrorCode.None, 0L), await ProduceAsync(connection, Batch(producerId, 1, sequence: 0, records: 3)));
        Assert.Equal((ErrorCode.None, 3L), await ProduceAsync(connection, Batch(producerId, 1, sequence: 3, records: 2)));
        // A retry gets the offset it got the first time and is not written again.
        Assert.Equal((ErrorCode.None, 0L), await ProduceAsync(connection, Batch(producerId, 1, sequence: 0, records: 3)));
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, (await ProduceAsync(connection, Batch(producerId, 1, sequence: 9))).Error);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, (await ProduceAsync(connection, Batch(producerId, 0, sequence: 5))).Error);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, (await ProduceAsync(connection, Batch(producerId, 2, sequence: 5))).Error);
        Assert.Equal((ErrorCode.None, 5L), await ProduceAsync(connection, Batch(producerId, 2, sequence: 0)));
        Assert.Equal(ErrorCode.InvalidRecord, (await ProduceAsync(connection, new EndTxnMarker(true, 0).BuildBatch(producerId, 2, 0))).Error);
        Assert.Equal(ErrorCode.InvalidRecord, (await ProduceAsync(connection, Batch(producerId, 2, sequence: -1))).Error);

        var describe = new DescribeProducersRequest();
        describe.Topics.Add(new DescribeProducersRequest.TopicRequest { Name = Topic, PartitionIndexes = [0, 7] });
        await connection.SendAsync(describe, 0);
        var (_, response) = await connection.ReadResponseAsync<DescribeProducersResponse>(ApiKey.DescribeProducers, 0);
        var partitions = Assert.Single(response.Topics).Partitions;
        var state = Assert.Single(partitions.Single(p => p.PartitionIndex == 0).ActiveProducers);
        Assert.Equal((producerId, 2, 0, -1L), (state.ProducerId, state.ProducerEpoch, state.LastSequence, state.CurrentTxnStartOffset));
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, partitions.Single(p => p.PartitionIndex == 7).ErrorCode);
    }

    private static async Task<InitProducerIdResponse> InitProducerIdAsync(string bootstrap)
    {
        using var connection = await RawConnection.ConnectAsync(bootstrap);
        await connection.SendAsync(new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60000 }, 4);
        var (_, response) = await connection.ReadResponseAsync<InitProducerIdResponse>(ApiKey.InitProducerId, 4);
        Assert.Equal((short)ErrorCode.None, response.ErrorCode);
        return response;
    }

    private static byte[] Batch(long producerId, short epoch, int sequence, int records = 1)
    {
        var batch = new Record[records];
        for (var i = 0; i < records; i++)
        {
            batch[i] = new Record(i, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, new byte[] { (byte)i });
        }
        return RecordBatchBuilder.Build(batch, new RecordBatchOptions { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = sequence });
    }

    private static async Task<(ErrorCode Error, long BaseOffset)> ProduceAsync(RawConnection connection, byte[] batch)
    {
        var request = new ProduceRequest { Acks = -1, TimeoutMs = 5000 };
        request.TopicData.Add(new ProduceRequest.TopicProduceData
        {
            Name = Topic,
            PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = batch }],
        });
        await connection.SendAsync(request, 9);
        var (_, response) = await connection.ReadResponseAsync<ProduceResponse>(ApiKey.Produce, 9);
        var partition = Assert.Single(Assert.Single(response.Responses).PartitionResponses);
        return ((ErrorCode)partition.ErrorCode, partition.BaseOffset);
    }
}
