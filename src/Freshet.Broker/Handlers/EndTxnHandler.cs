using Freshet.Broker.Requests;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>EndTxn: commits or aborts the producer's transaction; the markers are written before the answer.</summary>
internal sealed class EndTxnHandler(TransactionCoordinator coordinator) : ApiHandler<EndTxnRequest>
{
    public override ApiKey Key => ApiKey.EndTxn;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, EndTxnRequest request)
    {
        var error = coordinator.EndTransaction(request.TransactionalId, request.ProducerId, request.ProducerEpoch, request.Committed);
        return ValueTask.FromResult<IResponseMessage?>(new EndTxnResponse { ErrorCode = (short)error });
    }
}
