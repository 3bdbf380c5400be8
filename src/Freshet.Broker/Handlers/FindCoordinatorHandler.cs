using Freshet.Broker.Groups;
using Freshet.Broker.InterBroker;
using Freshet.Broker.Requests;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>
/// FindCoordinator: one key (v0-3) or a batch of keys (v4+). A group's coordinator is the leader of its
/// __consumer_offsets partition, a transactional id's the leader of its __transaction_state partition; the internal
/// topic is created on the first lookup, as Kafka does, and COORDINATOR_NOT_AVAILABLE answers while the partition has
/// no leader (or the topic cannot be created yet).
/// </summary>
internal sealed class FindCoordinatorHandler(
    OffsetsTopic offsetsTopic, TransactionStateTopic transactionTopic, IPartitionLeaderLookup leaders, IBrokerDirectory brokers) : ApiHandler<FindCoordinatorRequest>
{
    private const sbyte GroupKeyType = 0;
    private const sbyte TransactionKeyType = 1;
    private const short FirstBatchedVersion = 4;

    public override ApiKey Key => ApiKey.FindCoordinator;

    /// <summary>The coordinator found for a key: its broker, or the error.</summary>
    private readonly record struct Found(ErrorCode Error, string? Message, int NodeId = -1, string Host = "", int Port = -1);

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, FindCoordinatorRequest request)
    {
        var response = new FindCoordinatorResponse();
        if (context.ApiVersion >= FirstBatchedVersion)
        {
            foreach (var key in request.CoordinatorKeys)
            {
                var found = await FindAsync(request.KeyType, key).ConfigureAwait(false);
                response.Coordinators.Add(new FindCoordinatorResponse.Coordinator
                {
                    Key = key,
                    NodeId = found.NodeId,
                    Host = found.Host,
                    Port = found.Port,
                    ErrorCode = (short)found.Error,
                    ErrorMessage = found.Message,
                });
            }
        }
        else
        {
            var found = await FindAsync(request.KeyType, request.Key).ConfigureAwait(false);
            response.ErrorCode = (short)found.Error;
            response.ErrorMessage = found.Message;
            response.NodeId = found.NodeId;
            response.Host = found.Host;
            response.Port = found.Port;
        }
        return response;
    }

    private async ValueTask<Found> FindAsync(sbyte keyType, string key)
    {
        switch (keyType)
        {
            case GroupKeyType:
                var created = await offsetsTopic.EnsureCreatedAsync().ConfigureAwait(false);
                return created == ErrorCode.None
                    ? LeaderOf(new TopicPartition(OffsetsTopic.Name, offsetsTopic.PartitionFor(key)))
                    : new Found(ErrorCode.CoordinatorNotAvailable, $"The offsets topic could not be created ({created}).");
            case TransactionKeyType:
                if (string.IsNullOrEmpty(key))
                {
                    return new Found(ErrorCode.InvalidRequest, "A transactional id must not be empty.");
                }
                var ready = await transactionTopic.EnsureCreatedAsync().ConfigureAwait(false);
                return ready == ErrorCode.None
                    ? LeaderOf(new TopicPartition(TransactionStateTopic.Name, transactionTopic.PartitionFor(key)))
                    : new Found(ErrorCode.CoordinatorNotAvailable, $"The transaction state topic could not be created ({ready}).");
            default:
                return new Found(ErrorCode.InvalidRequest, $"Unknown coordinator key type {keyType}.");
        }
    }

    private Found LeaderOf(TopicPartition partition)
    {
        if (!leaders.TryGetLeader(partition, out var leader) || leader < 0 || !brokers.TryGetEndpoint(leader, out var host, out var port))
        {
            return new Found(ErrorCode.CoordinatorNotAvailable, $"{partition.Topic}-{partition.Partition} has no leader now.");
        }
        return new Found(ErrorCode.None, null, leader, host, port);
    }
}
