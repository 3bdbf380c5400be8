using Freshet.Broker.Replication;
using Freshet.Broker.Requests;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>
/// AddPartitionsToTxn: one transaction from a client (v0-3), or a batch of transactions (v4+, which brokers
/// send to verify partitions). A partition this broker does not have fails the request with
/// UNKNOWN_TOPIC_OR_PARTITION and the others get OPERATION_NOT_ATTEMPTED, as in Kafka.
/// </summary>
internal sealed class AddPartitionsToTxnHandler(TransactionCoordinator coordinator, ReplicaManager replicas) : ApiHandler<AddPartitionsToTxnRequest>
{
    private const short FirstBatchedVersion = 4;

    public override ApiKey Key => ApiKey.AddPartitionsToTxn;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, AddPartitionsToTxnRequest request)
    {
        var response = new AddPartitionsToTxnResponse();
        if (context.ApiVersion < FirstBatchedVersion)
        {
            response.ResultsByTopicV3AndBelow = await AddAsync(request.V3AndBelowTransactionalId, request.V3AndBelowProducerId, request.V3AndBelowProducerEpoch, request.V3AndBelowTopics, verifyOnly: false).ConfigureAwait(false);
        }
        else
        {
            foreach (var txn in request.Transactions)
            {
                response.ResultsByTransaction.Add(new AddPartitionsToTxnResponse.AddPartitionsToTxnResult
                {
                    TransactionalId = txn.TransactionalId,
                    TopicResults = await AddAsync(txn.TransactionalId, txn.ProducerId, txn.ProducerEpoch, txn.Topics, txn.VerifyOnly).ConfigureAwait(false),
                });
            }
        }
        return response;
    }

    private async Task<List<AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult>> AddAsync(
        string transactionalId, long producerId, short producerEpoch, List<AddPartitionsToTxnRequest.AddPartitionsToTxnTopic> topics, bool verifyOnly)
    {
        var partitions = new List<TopicPartition>();
        var unknown = new HashSet<TopicPartition>();
        foreach (var topic in topics)
        {
            foreach (var index in topic.Partitions)
            {
                var partition = new TopicPartition(topic.Name, index);
                partitions.Add(partition);
                if (!replicas.TryGetPartition(topic.Name, index, out _))
                {
                    unknown.Add(partition);
                }
            }
        }
        Func<TopicPartition, ErrorCode> errorOf;
        if (unknown.Count > 0)
        {
            errorOf = p => unknown.Contains(p) ? ErrorCode.UnknownTopicOrPartition : ErrorCode.OperationNotAttempted;
        }
        else if (verifyOnly)
        {
            var described = coordinator.Describe(transactionalId);
            var inTransaction = described is { State: TransactionState.Ongoing } d && d.ProducerId == producerId && d.ProducerEpoch == producerEpoch
                ? new HashSet<TopicPartition>(d.Partitions)
                : [];
            errorOf = p => inTransaction.Contains(p) ? ErrorCode.None : ErrorCode.InvalidTxnState;
        }
        else
        {
            var error = await coordinator.AddPartitionsAsync(transactionalId, producerId, producerEpoch, partitions).ConfigureAwait(false);
            errorOf = _ => error;
        }
        var results = new List<AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult>(topics.Count);
        foreach (var topic in topics)
        {
            var result = new AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult { Name = topic.Name };
            foreach (var index in topic.Partitions)
            {
                result.ResultsByPartition.Add(new AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult
                {
                    PartitionIndex = index,
                    PartitionErrorCode = (short)errorOf(new TopicPartition(topic.Name, index)),
                });
            }
            results.Add(result);
        }
        return results;
    }
}
