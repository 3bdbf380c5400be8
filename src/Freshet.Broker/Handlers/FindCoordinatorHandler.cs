using Freshet.Broker.Groups;
using Freshet.Broker.Hosting;
using Freshet.Broker.Requests;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// FindCoordinator: one key (v0-3) or a batch of keys (v4+). This broker leads every
/// __consumer_offsets and __transaction_state partition, so it coordinates every group and every
/// transactional id; the internal topic is created on the first lookup, as Kafka does.
/// </summary>
internal sealed class FindCoordinatorHandler(BrokerNode node, OffsetsTopic offsetsTopic, TransactionStateTopic transactionTopic) : ApiHandler<FindCoordinatorRequest>
{
    private const sbyte GroupKeyType = 0;
    private const sbyte TransactionKeyType = 1;
    private const short FirstBatchedVersion = 4;

    public override ApiKey Key => ApiKey.FindCoordinator;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, FindCoordinatorRequest request)
    {
        var response = new FindCoordinatorResponse();
        if (context.ApiVersion >= FirstBatchedVersion)
        {
            foreach (var key in request.CoordinatorKeys)
            {
                var (error, message) = Find(request.KeyType, key);
                response.Coordinators.Add(new FindCoordinatorResponse.Coordinator
                {
                    Key = key,
                    NodeId = error == ErrorCode.None ? node.NodeId : -1,
                    Host = error == ErrorCode.None ? node.Host : "",
                    Port = error == ErrorCode.None ? node.Port : -1,
                    ErrorCode = (short)error,
                    ErrorMessage = message,
                });
            }
        }
        else
        {
            var (error, message) = Find(request.KeyType, request.Key);
            response.ErrorCode = (short)error;
            response.ErrorMessage = message;
            response.NodeId = error == ErrorCode.None ? node.NodeId : -1;
            response.Host = error == ErrorCode.None ? node.Host : "";
            response.Port = error == ErrorCode.None ? node.Port : -1;
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }

    private (ErrorCode Error, string? Message) Find(sbyte keyType, string key)
    {
        switch (keyType)
        {
            case GroupKeyType:
                var created = offsetsTopic.EnsureCreated();
                return created == ErrorCode.None ? (ErrorCode.None, null) : (ErrorCode.CoordinatorNotAvailable, $"The offsets topic could not be created ({created}).");
            case TransactionKeyType:
                if (string.IsNullOrEmpty(key))
                {
                    return (ErrorCode.InvalidRequest, "A transactional id must not be empty.");
                }
                var ready = transactionTopic.EnsureCreated();
                return ready == ErrorCode.None ? (ErrorCode.None, null) : (ErrorCode.CoordinatorNotAvailable, $"The transaction state topic could not be created ({ready}).");
            default:
                return (ErrorCode.InvalidRequest, $"Unknown coordinator key type {keyType}.");
        }
    }
}
