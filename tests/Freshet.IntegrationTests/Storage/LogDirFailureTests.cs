using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Embedded;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;
using Freshet.Storage.IO;
using KafkaErrorCode = Freshet.Protocol.Messages.ErrorCode;

namespace Freshet.IntegrationTests.Storage;

/// <summary>
/// Two log dirs, one of them failing (a faulty-disk switch makes its I/O throw): its partitions answer
/// KAFKA_STORAGE_ERROR on Produce and ListOffsets, and the partitions on the other dir keep serving.
/// </summary>
public sealed class LogDirFailureTests
{
    private const string Topic = "two-dirs";

    [Fact]
    public async Task A_failing_log_dir_answers_storage_errors_while_the_other_dir_serves()
    {
        using var root = new TempDirectory();
        var dirs = new[] { Path.Combine(root.Path, "d1"), Path.Combine(root.Path, "d2") };
        var faults = new DiskFaults();
        var options = new EmbeddedBrokerOptions { DiskFaults = faults };
        options.Settings["log.dirs"] = string.Join(',', dirs);
        await using var broker = await EmbeddedBroker.StartAsync(options);

        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = 2, ReplicationFactor = 1 }]);
        }
        var failing = dirs.Single(d => Directory.Exists(Path.Combine(d, Topic + "-0")));
        Assert.True(Directory.Exists(Path.Combine(dirs.Single(d => d != failing), Topic + "-1")));

        var config = new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            Acks = Acks.Leader,
            MessageSendMaxRetries = 0,
            EnableIdempotence = false,
            MessageTimeoutMs = 10000,
        };
        using var producer = new ProducerBuilder<Null, string>(config).Build();
        await producer.ProduceAsync(new Confluent.Kafka.TopicPartition(Topic, 0), new Message<Null, string> { Value = "before" });

        faults.Fail(failing);
        var failed = await Assert.ThrowsAsync<ProduceException<Null, string>>(
            () => producer.ProduceAsync(new Confluent.Kafka.TopicPartition(Topic, 0), new Message<Null, string> { Value = "lost" }));
        Assert.Equal(Confluent.Kafka.ErrorCode.KafkaStorageError, failed.Error.Code);

        for (var i = 0; i < 3; i++)
        {
            var ok = await producer.ProduceAsync(new Confluent.Kafka.TopicPartition(Topic, 1), new Message<Null, string> { Value = $"ok-{i}" });
            Assert.Equal(i, ok.Offset.Value);
        }

        using var connection = await RawConnection.ConnectAsync(broker.BootstrapServers);
        var request = new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics =
            [
                new ListOffsetsRequest.ListOffsetsTopic
                {
                    Name = Topic,
                    Partitions =
                    [
                        new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 0, Timestamp = -1 },
                        new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 1, Timestamp = -1 },
                    ],
                },
            ],
        };
        await connection.SendAsync(request, 7);
        var (_, response) = await connection.ReadResponseAsync<ListOffsetsResponse>(ApiKey.ListOffsets, 7);
        var partitions = response.Topics.Single().Partitions.ToDictionary(p => p.PartitionIndex);
        Assert.Equal((short)KafkaErrorCode.KafkaStorageError, partitions[0].ErrorCode);
        Assert.Equal((short)KafkaErrorCode.None, partitions[1].ErrorCode);
        Assert.Equal(3, partitions[1].Offset);

        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "freshet-it-reader",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(Topic, 1, 0));
        var values = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (values.Count < 3 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result)
            {
                values.Add(result.Message.Value);
            }
        }
        Assert.Equal(["ok-0", "ok-1", "ok-2"], values);
    }
}
