using Freshet.Broker.Producers;
using Freshet.Broker.Requests;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// InitProducerId. Without a transactional id the producer is idempotent only: it gets a new producer id at
/// epoch 0 every time, as from Kafka's coordinator (an epoch bump request from such a producer gets a new id too).
/// </summary>
internal sealed class InitProducerIdHandler(ProducerIdManager producerIds, TransactionCoordinator transactions) : ApiHandler<InitProducerIdRequest>
{
    public override ApiKey Key => ApiKey.InitProducerId;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, InitProducerIdRequest request) =>
        request.TransactionalId is null
            ? Idempotent()
            : await TransactionalAsync(request).ConfigureAwait(false);

    /// <summary>With a transactional id: the coordinator bumps the id's epoch, fencing the previous instance.</summary>
    private async Task<InitProducerIdResponse> TransactionalAsync(InitProducerIdRequest request)
    {
        try
        {
            var result = await transactions.InitProducerIdAsync(request.TransactionalId!, request.TransactionTimeoutMs, request.ProducerId, request.ProducerEpoch).ConfigureAwait(false);
            return new InitProducerIdResponse { ErrorCode = (short)result.Error, ProducerId = result.ProducerId, ProducerEpoch = result.ProducerEpoch };
        }
        catch (IOException)
        {
            return new InitProducerIdResponse { ErrorCode = (short)ErrorCode.UnknownServerError, ProducerId = -1, ProducerEpoch = -1 };
        }
    }

    private InitProducerIdResponse Idempotent()
    {
        try
        {
            return new InitProducerIdResponse { ProducerId = producerIds.NextProducerId(), ProducerEpoch = 0 };
        }
        catch (IOException)
        {
            return new InitProducerIdResponse { ErrorCode = (short)ErrorCode.UnknownServerError };
        }
    }
}
