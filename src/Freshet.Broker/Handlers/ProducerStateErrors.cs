using Freshet.Protocol.Messages;
using Freshet.Storage.Producers;

namespace Freshet.Broker.Handlers;

/// <summary>The Kafka error code for each refusal of the partition's producer state.</summary>
internal static class ProducerStateErrors
{
    public static ErrorCode CodeOf(ProducerStateException exception) => exception switch
    {
        OutOfOrderSequenceException => ErrorCode.OutOfOrderSequenceNumber,
        InvalidProducerEpochException => ErrorCode.InvalidProducerEpoch,
        InvalidTxnStateException => ErrorCode.InvalidTxnState,
        TransactionCoordinatorFencedException => ErrorCode.TransactionCoordinatorFenced,
        _ => ErrorCode.UnknownServerError,
    };
}
