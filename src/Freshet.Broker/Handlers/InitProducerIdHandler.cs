using Freshet.Broker.Producers;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// InitProducerId. Without a transactional id the producer is idempotent only: it gets a new producer id at
/// epoch 0 every time, as from Kafka's coordinator (an epoch bump request from such a producer gets a new id too).
/// </summary>
internal sealed class InitProducerIdHandler(ProducerIdManager producerIds) : ApiHandler<InitProducerIdRequest>
{
    public override ApiKey Key => ApiKey.InitProducerId;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, InitProducerIdRequest request)
    {
        var response = request.TransactionalId is null
            ? Idempotent()
            : new InitProducerIdResponse { ErrorCode = (short)ErrorCode.CoordinatorNotAvailable };
        return ValueTask.FromResult<IResponseMessage?>(response);
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
