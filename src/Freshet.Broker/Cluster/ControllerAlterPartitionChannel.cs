using Freshet.Broker.Replication;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Freshet.Storage;

namespace Freshet.Broker.Cluster;

/// <summary>A leader's ISR changes, sent to the active controller as AlterPartition with this broker's epoch.</summary>
internal sealed class ControllerAlterPartitionChannel(ControllerChannel channel, ControllerApis? local, Func<long> brokerEpoch, int brokerId) : IAlterPartitionChannel
{
    private const short Version = 3;

    public async Task<AlterPartitionResult> AlterPartitionAsync(
        TopicPartition id, KafkaUuid topicId, int leaderEpoch, int partitionEpoch, IReadOnlyList<int> newIsr, CancellationToken cancellationToken)
    {
        var request = new AlterPartitionRequest
        {
            BrokerId = brokerId,
            BrokerEpoch = brokerEpoch(),
            Topics =
            [
                new AlterPartitionRequest.TopicData
                {
                    TopicId = topicId,
                    TopicName = id.Topic,
                    Partitions = [new AlterPartitionRequest.PartitionData { PartitionIndex = id.Partition, LeaderEpoch = leaderEpoch, PartitionEpoch = partitionEpoch, NewIsrWithEpochs = IsrWithoutEpochs(newIsr) }],
                },
            ],
        };
        var response = await channel.SendAsync(
            request, Version, AlterPartitionResponse.Read,
            ct => ClusterServices.LocalApis(local).AlterPartitionAsync(request, ct),
            r => r.ErrorCode == (short)ErrorCode.NotController,
            cancellationToken).ConfigureAwait(false);
        if (response.ErrorCode != (short)ErrorCode.None)
        {
            return AlterPartitionResult.Failed((ErrorCode)response.ErrorCode);
        }
        foreach (var topic in response.Topics)
        {
            foreach (var partition in topic.Partitions)
            {
                if (partition.PartitionIndex == id.Partition)
                {
                    return partition.ErrorCode != (short)ErrorCode.None
                        ? AlterPartitionResult.Failed((ErrorCode)partition.ErrorCode)
                        : new AlterPartitionResult(ErrorCode.None, partition.Isr, partition.LeaderEpoch, partition.PartitionEpoch);
                }
            }
        }
        return AlterPartitionResult.Failed(ErrorCode.UnknownServerError);
    }

    // Version 3 carries the ISR with broker epochs; -1 means "not checked", as Kafka's leader sends before KIP-903.
    private static List<AlterPartitionRequest.BrokerState> IsrWithoutEpochs(IReadOnlyList<int> isr)
    {
        var states = new List<AlterPartitionRequest.BrokerState>(isr.Count);
        foreach (var member in isr)
        {
            states.Add(new AlterPartitionRequest.BrokerState { BrokerId = member, BrokerEpoch = -1 });
        }
        return states;
    }
}
