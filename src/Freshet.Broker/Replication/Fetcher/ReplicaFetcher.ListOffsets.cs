using Freshet.Broker.InterBroker;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Replication.Fetcher;

internal sealed partial class ReplicaFetcher
{
    private const long ListOffsetsLatest = -1;
    private const long ListOffsetsEarliest = -2;

    // Version 4 carries the current leader epoch, so a leader that moved on answers FENCED_LEADER_EPOCH.
    private const short ListOffsetsVersion = 4;

    /// <summary>The leader's log end offset (latest, as a replica asks) or log start offset; null when the leader refuses.</summary>
    private async Task<long?> ListOffsetAsync(BrokerClient client, FetchedPartition fetched, long timestamp, CancellationToken token)
    {
        var request = new ListOffsetsRequest
        {
            ReplicaId = _directory.LocalBrokerId,
            Topics =
            [
                new ListOffsetsRequest.ListOffsetsTopic
                {
                    Name = fetched.Partition.Id.Topic,
                    Partitions =
                    [
                        new ListOffsetsRequest.ListOffsetsPartition
                        {
                            PartitionIndex = fetched.Partition.Id.Partition,
                            CurrentLeaderEpoch = fetched.LeaderEpoch,
                            Timestamp = timestamp,
                        },
                    ],
                },
            ],
        };
        var response = await client.SendAsync(request, ListOffsetsVersion, ListOffsetsResponse.Read, token).ConfigureAwait(false);
        foreach (var topic in response.Topics)
        {
            foreach (var partition in topic.Partitions)
            {
                if (partition.PartitionIndex == fetched.Partition.Id.Partition && partition.ErrorCode == (short)ErrorCode.None)
                {
                    return partition.Offset;
                }
            }
        }
        return null;
    }
}
