using Freshet.Broker.Requests;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>DescribeTransactions: state, producer, timeout, start time and partitions of each transactional id.</summary>
internal sealed class DescribeTransactionsHandler(TransactionCoordinator coordinator) : ApiHandler<DescribeTransactionsRequest>
{
    public override ApiKey Key => ApiKey.DescribeTransactions;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, DescribeTransactionsRequest request)
    {
        var response = new DescribeTransactionsResponse();
        foreach (var transactionalId in request.TransactionalIds)
        {
            var data = new DescribeTransactionsResponse.TransactionStateData { TransactionalId = transactionalId };
            var status = transactionalId.Length == 0 ? ErrorCode.InvalidRequest : coordinator.CoordinatorStatus(transactionalId);
            var described = status == ErrorCode.None ? coordinator.Describe(transactionalId) : null;
            if (described is null)
            {
                data.ErrorCode = (short)(status != ErrorCode.None ? status : ErrorCode.TransactionalIdNotFound);
            }
            else
            {
                data.TransactionState = described.State.Name();
                data.TransactionTimeoutMs = described.TimeoutMs;
                data.TransactionStartTimeMs = described.StartTimestampMs;
                data.ProducerId = described.ProducerId;
                data.ProducerEpoch = described.ProducerEpoch;
                foreach (var byTopic in described.Partitions.GroupBy(p => p.Topic))
                {
                    data.Topics.Add(new DescribeTransactionsResponse.TopicData { Topic = byTopic.Key, Partitions = [.. byTopic.Select(p => p.Partition)] });
                }
            }
            response.TransactionStates.Add(data);
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }
}
