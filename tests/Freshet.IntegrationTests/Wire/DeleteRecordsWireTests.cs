using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;
using ErrorCode = Freshet.Protocol.Messages.ErrorCode;

namespace Freshet.IntegrationTests.Wire;

/// <summary>DeleteRecords at every version, with the errors Kafka gives per partition.</summary>
public sealed class DeleteRecordsWireTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Each_partition_gets_its_low_watermark_or_its_error(short version)
    {
        await using var scope = await BrokerScope.StartAsync();
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = scope.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = "plain", NumPartitions = 1, ReplicationFactor = 1 },
                new TopicSpecification { Name = "compacted", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["cleanup.policy"] = "compact" } },
            ]);
        }
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = scope.BootstrapServers }).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync("plain", new Message<string, string> { Key = "k", Value = $"v{i}" });
            }
        }

        var request = new DeleteRecordsRequest { TimeoutMs = 1000 };
        request.Topics.Add(Topic("plain", (0, 4), (1, 0)));
        request.Topics.Add(Topic("compacted", (0, 0)));
        request.Topics.Add(Topic("missing", (0, 0)));
        using var connection = await RawConnection.ConnectAsync(scope.BootstrapServers);
        await connection.SendAsync(request, version);
        var (_, response) = await connection.ReadResponseAsync<DeleteRecordsResponse>(ApiKey.DeleteRecords, version);

        var plain = response.Topics.Single(t => t.Name == "plain").Partitions;
        Assert.Equal((short)ErrorCode.None, plain.Single(p => p.PartitionIndex == 0).ErrorCode);
        Assert.Equal(4, plain.Single(p => p.PartitionIndex == 0).LowWatermark);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, plain.Single(p => p.PartitionIndex == 1).ErrorCode);
        Assert.Equal((short)ErrorCode.PolicyViolation, Assert.Single(response.Topics.Single(t => t.Name == "compacted").Partitions).ErrorCode);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, Assert.Single(response.Topics.Single(t => t.Name == "missing").Partitions).ErrorCode);

        var beyond = new DeleteRecordsRequest { TimeoutMs = 1000 };
        beyond.Topics.Add(Topic("plain", (0, 11)));
        await connection.SendAsync(beyond, version);
        var (_, outOfRange) = await connection.ReadResponseAsync<DeleteRecordsResponse>(ApiKey.DeleteRecords, version);
        var partition = Assert.Single(Assert.Single(outOfRange.Topics).Partitions);
        Assert.Equal((short)ErrorCode.OffsetOutOfRange, partition.ErrorCode);
        Assert.Equal(-1, partition.LowWatermark);
    }

    private static DeleteRecordsRequest.DeleteRecordsTopic Topic(string name, params (int Partition, long Offset)[] partitions)
    {
        var topic = new DeleteRecordsRequest.DeleteRecordsTopic { Name = name };
        foreach (var (index, offset) in partitions)
        {
            topic.Partitions.Add(new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = index, Offset = offset });
        }
        return topic;
    }
}
