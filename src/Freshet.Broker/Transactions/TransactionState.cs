namespace Freshet.Broker.Transactions;

/// <summary>
/// Kafka's transaction states, numbered as __transaction_state stores them (TransactionStatus).
/// Empty → Ongoing (partitions added) → PrepareCommit/PrepareAbort (end asked, markers being written) →
/// CompleteCommit/CompleteAbort (markers written) → Ongoing again, or Empty after InitProducerId.
/// PrepareEpochFence is the moment the coordinator bumps the epoch to fence a producer before aborting its
/// transaction; Dead is a transactional id being expired.
/// </summary>
internal enum TransactionState : sbyte
{
    Empty = 0,
    Ongoing = 1,
    PrepareCommit = 2,
    PrepareAbort = 3,
    CompleteCommit = 4,
    CompleteAbort = 5,
    Dead = 6,
    PrepareEpochFence = 7,
}

internal static class TransactionStates
{
    /// <summary>Every state with the name Kafka's admin APIs use (ListTransactions filters, DescribeTransactions).</summary>
    public static readonly IReadOnlyList<TransactionState> All =
    [
        TransactionState.Empty, TransactionState.Ongoing, TransactionState.PrepareCommit, TransactionState.PrepareAbort,
        TransactionState.CompleteCommit, TransactionState.CompleteAbort, TransactionState.Dead, TransactionState.PrepareEpochFence,
    ];

    public static string Name(this TransactionState state) => state.ToString();

    public static bool TryParse(string name, out TransactionState state)
    {
        foreach (var candidate in All)
        {
            if (candidate.Name() == name)
            {
                state = candidate;
                return true;
            }
        }
        state = default;
        return false;
    }

    public static bool IsPrepare(this TransactionState state) => state is TransactionState.PrepareCommit or TransactionState.PrepareAbort;

    /// <summary>States with no transaction open, in which a transactional id may expire.</summary>
    public static bool IsIdle(this TransactionState state) => state is TransactionState.Empty or TransactionState.CompleteCommit or TransactionState.CompleteAbort;
}
