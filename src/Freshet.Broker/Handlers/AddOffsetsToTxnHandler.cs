using Freshet.Broker.Groups;
using Freshet.Broker.Requests;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>
/// AddOffsetsToTxn: the group's __consumer_offsets partition joins the transaction, so the offsets the producer
/// then sends with TxnOffsetCommit get the transaction's marker.
/// </summary>
internal sealed class AddOffsetsToTxnHandler(TransactionCoordinator coordinator, OffsetsTopic offsetsTopic) : ApiHandler<AddOffsetsToTxnRequest>
{
    public override ApiKey Key => ApiKey.AddOffsetsToTxn;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, AddOffsetsToTxnRequest request)
    {
        ErrorCode error;
        if (request.GroupId.Length == 0)
        {
            error = ErrorCode.InvalidGroupId;
        }
        else if (await offsetsTopic.EnsureCreatedAsync().ConfigureAwait(false) != ErrorCode.None)
        {
            error = ErrorCode.CoordinatorNotAvailable;
        }
        else
        {
            var partition = new TopicPartition(OffsetsTopic.Name, offsetsTopic.PartitionFor(request.GroupId));
            error = await coordinator.AddPartitionsAsync(request.TransactionalId, request.ProducerId, request.ProducerEpoch, [partition]).ConfigureAwait(false);
        }
        return new AddOffsetsToTxnResponse { ErrorCode = (short)error };
    }
}
