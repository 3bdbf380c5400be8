using Freshet.IntegrationTests.Groups;
using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;

namespace Freshet.IntegrationTests.Transactions;

/// <summary>The transaction APIs over the wire, request by request, with Kafka's error codes.</summary>
public sealed class TransactionWireTests
{
    [Fact]
    public async Task A_transaction_with_offsets_goes_through_the_coordinator_APIs_with_Kafkas_errors()
    {
        await using var scope = await BrokerScope.StartAsync();
        await GroupTestSupport.CreateTopicAsync(scope.BootstrapServers, "wire-txn", 2);
        using var connection = await RawConnection.ConnectAsync(scope.BootstrapServers);
        // As a client does first: the lookup creates __transaction_state, whose partitions this broker then leads.
        var coordinator = await Send<FindCoordinatorResponse>(connection, new FindCoordinatorRequest { Key = "w", KeyType = 1 }, 3);
        Assert.Equal((short)ErrorCode.None, coordinator.ErrorCode);

        var tooLong = await Send<InitProducerIdResponse>(connection, new InitProducerIdRequest { TransactionalId = "w", TransactionTimeoutMs = 900_001 }, 4);
        Assert.Equal((short)ErrorCode.InvalidTransactionTimeout, tooLong.ErrorCode);
        var init = await Send<InitProducerIdResponse>(connection, new InitProducerIdRequest { TransactionalId = "w", TransactionTimeoutMs = 60_000 }, 4);
        Assert.Equal((short)ErrorCode.None, init.ErrorCode);
        Assert.Equal(0, init.ProducerEpoch);
        var (pid, epoch) = (init.ProducerId, init.ProducerEpoch);

        // One unknown partition fails the request: it gets UNKNOWN_TOPIC_OR_PARTITION, the others OPERATION_NOT_ATTEMPTED.
        var mixed = await Send<AddPartitionsToTxnResponse>(connection, AddPartitions("w", pid, epoch, 0, 9), 3);
        var results = Assert.Single(mixed.ResultsByTopicV3AndBelow).ResultsByPartition.ToDictionary(r => r.PartitionIndex, r => (ErrorCode)r.PartitionErrorCode);
        Assert.Equal(ErrorCode.OperationNotAttempted, results[0]);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, results[9]);
        var added = await Send<AddPartitionsToTxnResponse>(connection, AddPartitions("w", pid, epoch, 0), 3);
        Assert.Equal((short)ErrorCode.None, added.ResultsByTopicV3AndBelow[0].ResultsByPartition[0].PartitionErrorCode);

        // The batched form brokers use (v4+) verifies without adding: partition 1 is not in the transaction.
        var verified = await Send<AddPartitionsToTxnResponse>(connection, new AddPartitionsToTxnRequest
        {
            Transactions = [new() { TransactionalId = "w", ProducerId = pid, ProducerEpoch = epoch, VerifyOnly = true, Topics = [new() { Name = "wire-txn", Partitions = [0, 1] }] }],
        }, 4);
        var verifiedErrors = verified.ResultsByTransaction[0].TopicResults[0].ResultsByPartition.Select(r => (ErrorCode)r.PartitionErrorCode);
        Assert.Equal([ErrorCode.None, ErrorCode.InvalidTxnState], verifiedErrors);

        var offsets = await Send<AddOffsetsToTxnResponse>(connection, new AddOffsetsToTxnRequest { TransactionalId = "w", ProducerId = pid, ProducerEpoch = epoch, GroupId = "wg" }, 3);
        Assert.Equal((short)ErrorCode.None, offsets.ErrorCode);
        var commit = await Send<TxnOffsetCommitResponse>(connection, new TxnOffsetCommitRequest
        {
            TransactionalId = "w",
            GroupId = "wg",
            ProducerId = pid,
            ProducerEpoch = epoch,
            Topics = [new() { Name = "wire-txn", Partitions = [new() { PartitionIndex = 0, CommittedOffset = 5 }] }],
        }, 3);
        Assert.Equal((short)ErrorCode.None, commit.Topics[0].Partitions[0].ErrorCode);

        // Pending: unstable for require_stable, not committed for anyone else.
        Assert.Equal((ErrorCode.UnstableOffsetCommit, -1L), await FetchOffset(connection, requireStable: true));
        Assert.Equal((ErrorCode.None, -1L), await FetchOffset(connection, requireStable: false));

        var listed = await Send<ListTransactionsResponse>(connection, new ListTransactionsRequest { StateFilters = ["Ongoing", "Bogus"] }, 1);
        Assert.Equal(["Bogus"], listed.UnknownStateFilters);
        var listedW = Assert.Single(listed.TransactionStates, t => t.TransactionalId == "w");
        Assert.Equal((pid, "Ongoing"), (listedW.ProducerId, listedW.TransactionState));
        var described = await Send<DescribeTransactionsResponse>(connection, new DescribeTransactionsRequest { TransactionalIds = ["w", "nope"] }, 0);
        Assert.Equal("Ongoing", described.TransactionStates[0].TransactionState);
        Assert.Equal(60_000, described.TransactionStates[0].TransactionTimeoutMs);
        Assert.Equal(["__consumer_offsets", "wire-txn"], described.TransactionStates[0].Topics.Select(x => x.Topic).Order());
        Assert.Equal((short)ErrorCode.TransactionalIdNotFound, described.TransactionStates[1].ErrorCode);

        var end = await Send<EndTxnResponse>(connection, new EndTxnRequest { TransactionalId = "w", ProducerId = pid, ProducerEpoch = epoch, Committed = true }, 3);
        Assert.Equal((short)ErrorCode.None, end.ErrorCode);
        Assert.Equal((ErrorCode.None, 5L), await FetchOffset(connection, requireStable: true));
        var completed = await Send<DescribeTransactionsResponse>(connection, new DescribeTransactionsRequest { TransactionalIds = ["w"] }, 0);
        Assert.Equal("CompleteCommit", completed.TransactionStates[0].TransactionState);

        // A new instance fences the old epoch.
        var again = await Send<InitProducerIdResponse>(connection, new InitProducerIdRequest { TransactionalId = "w", TransactionTimeoutMs = 60_000 }, 4);
        Assert.Equal((pid, (short)1), (again.ProducerId, again.ProducerEpoch));
        var fenced = await Send<EndTxnResponse>(connection, new EndTxnRequest { TransactionalId = "w", ProducerId = pid, ProducerEpoch = epoch, Committed = true }, 3);
        Assert.Equal((short)ErrorCode.ProducerFenced, fenced.ErrorCode);

        var markers = await Send<WriteTxnMarkersResponse>(connection, new WriteTxnMarkersRequest
        {
            Markers = [new() { ProducerId = pid, ProducerEpoch = 1, TransactionResult = false, Topics = [new() { Name = "no-such-topic", PartitionIndexes = [0] }] }],
        }, 1);
        Assert.Equal((short)ErrorCode.UnknownTopicOrPartition, markers.Markers[0].Topics[0].Partitions[0].ErrorCode);
    }

    private static AddPartitionsToTxnRequest AddPartitions(string id, long pid, short epoch, params int[] partitions) => new()
    {
        V3AndBelowTransactionalId = id,
        V3AndBelowProducerId = pid,
        V3AndBelowProducerEpoch = epoch,
        V3AndBelowTopics = [new() { Name = "wire-txn", Partitions = [.. partitions] }],
    };

    private static async Task<(ErrorCode, long)> FetchOffset(RawConnection connection, bool requireStable)
    {
        var response = await Send<OffsetFetchResponse>(connection, new OffsetFetchRequest
        {
            GroupId = "wg",
            Topics = [new() { Name = "wire-txn", PartitionIndexes = [0] }],
            RequireStable = requireStable,
        }, 7);
        var partition = response.Topics[0].Partitions[0];
        return ((ErrorCode)partition.ErrorCode, partition.CommittedOffset);
    }

    private static async Task<T> Send<T>(RawConnection connection, IRequestMessage request, short version)
        where T : IResponseMessage
    {
        await connection.SendAsync(request, version);
        return (await connection.ReadResponseAsync<T>(request.ApiKey, version)).Response;
    }
}
