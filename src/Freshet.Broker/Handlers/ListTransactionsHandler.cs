using Freshet.Broker.Requests;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// ListTransactions: the transactional ids of this coordinator, filtered by state names, producer ids and (v1)
/// how long the transaction has run. Unknown state names are echoed back; when every given name is unknown,
/// nothing matches.
/// </summary>
internal sealed class ListTransactionsHandler(TransactionCoordinator coordinator) : ApiHandler<ListTransactionsRequest>
{
    public override ApiKey Key => ApiKey.ListTransactions;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, ListTransactionsRequest request)
    {
        var response = new ListTransactionsResponse();
        if (coordinator.AnyLoading)
        {
            response.ErrorCode = (short)ErrorCode.CoordinatorLoadInProgress;
            return ValueTask.FromResult<IResponseMessage?>(response);
        }
        var states = new HashSet<TransactionState>();
        foreach (var name in request.StateFilters)
        {
            if (TransactionStates.TryParse(name, out var state))
            {
                states.Add(state);
            }
            else
            {
                response.UnknownStateFilters.Add(name);
            }
        }
        if (request.StateFilters.Count > 0 && states.Count == 0)
        {
            return ValueTask.FromResult<IResponseMessage?>(response);
        }
        foreach (var txn in coordinator.List(states, new HashSet<long>(request.ProducerIdFilters), request.DurationFilter))
        {
            response.TransactionStates.Add(new ListTransactionsResponse.TransactionStateData
            {
                TransactionalId = txn.TransactionalId,
                ProducerId = txn.ProducerId,
                TransactionState = txn.State.Name(),
            });
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }
}
