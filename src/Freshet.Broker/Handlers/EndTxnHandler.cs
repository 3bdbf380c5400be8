using Freshet.Broker.Requests;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>EndTxn: commits or aborts the producer's transaction; answered once the decision is on every in-sync replica; the markers follow.</summary>
internal sealed class EndTxnHandler(TransactionCoordinator coordinator) : ApiHandler<EndTxnRequest>
{
    public override ApiKey Key => ApiKey.EndTxn;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, EndTxnRequest request)
    {
        var error = await coordinator.EndTransactionAsync(request.TransactionalId, request.ProducerId, request.ProducerEpoch, request.Committed).ConfigureAwait(false);
        return new EndTxnResponse { ErrorCode = (short)error };
    }
}
