using Freshet.Broker.Groups;
using Freshet.Broker.Transactions;
using Freshet.Protocol.Messages;
using Freshet.Storage;

namespace Freshet.Broker.Tests.Coordination;

/// <summary>
/// The coordinators' calls for tests whose in-memory logs make every write durable at once: the answer is there
/// when the call returns, so the tests read it directly.
/// </summary>
internal static class CoordinatorCalls
{
    public static IReadOnlyList<ErrorCode> Commit(this GroupCoordinator coordinator, string groupId, int generationId, string memberId, string? groupInstanceId, IReadOnlyList<OffsetCommitEntry> entries) =>
        Now(coordinator.CommitAsync(groupId, generationId, memberId, groupInstanceId, entries).AsTask());

    public static IReadOnlyList<ErrorCode> CommitTransactional(
        this GroupCoordinator coordinator, string groupId, long producerId, short producerEpoch, int generationId, string memberId, string? groupInstanceId, IReadOnlyList<OffsetCommitEntry> entries) =>
        Now(coordinator.CommitTransactionalAsync(groupId, producerId, producerEpoch, generationId, memberId, groupInstanceId, entries).AsTask());

    public static ErrorCode DeleteGroup(this GroupCoordinator coordinator, string groupId) =>
        Now(coordinator.DeleteGroupAsync(groupId).AsTask());

    public static ErrorCode DeleteOffsets(this GroupCoordinator coordinator, string groupId, IReadOnlyList<TopicPartition> partitions, out ErrorCode[] errors)
    {
        (var groupError, errors) = Now(coordinator.DeleteOffsetsAsync(groupId, partitions).AsTask());
        return groupError;
    }

    public static ProducerIdAndEpoch InitProducerId(this TransactionCoordinator coordinator, string transactionalId, int timeoutMs, long producerId, short epoch) =>
        Now(coordinator.InitProducerIdAsync(transactionalId, timeoutMs, producerId, epoch));

    public static ErrorCode AddPartitions(this TransactionCoordinator coordinator, string transactionalId, long producerId, short producerEpoch, IReadOnlyCollection<TopicPartition> partitions) =>
        Now(coordinator.AddPartitionsAsync(transactionalId, producerId, producerEpoch, partitions));

    public static ErrorCode EndTransaction(this TransactionCoordinator coordinator, string transactionalId, long producerId, short producerEpoch, bool commit) =>
        Now(coordinator.EndTransactionAsync(transactionalId, producerId, producerEpoch, commit));

    private static T Now<T>(Task<T> answer)
    {
        Assert.True(answer.IsCompleted, "The in-memory log made the write durable, so the answer should not wait.");
        return answer.Result;
    }
}
