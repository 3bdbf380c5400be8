using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Diagnostics;

/// <summary>The transaction coordinator's log messages.</summary>
internal static partial class TransactionLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Transactional id {TransactionalId}: producer id {ProducerId} epoch {Epoch}")]
    public static partial void Initialized(ILogger logger, string transactionalId, long producerId, short epoch);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Transactional id {TransactionalId}: producer {ProducerId} epoch {Epoch} {State}")]
    public static partial void Completed(ILogger logger, string transactionalId, long producerId, short epoch, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transactional id {TransactionalId}: producer {ProducerId} fenced with epoch {Epoch}, its open transaction aborted")]
    public static partial void Fenced(ILogger logger, string transactionalId, long producerId, short epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transactional id {TransactionalId}: the transaction of producer {ProducerId} passed its timeout of {TimeoutMs} ms")]
    public static partial void TimedOut(ILogger logger, string transactionalId, long producerId, int timeoutMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transactional id {TransactionalId} of producer {ProducerId} expired")]
    public static partial void Expired(ILogger logger, string transactionalId, long producerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transactional id {TransactionalId}: writing {State} to __transaction_state failed ({Error})")]
    public static partial void WriteFailed(ILogger logger, string transactionalId, string state, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transactional id {TransactionalId}: marker for {Topic}-{Partition} failed ({Error}); retried later")]
    public static partial void MarkerFailed(ILogger logger, string transactionalId, string topic, int partition, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Transactions} transactional id(s) from __transaction_state-{Partition} (coordinator epoch {Epoch}) in {ElapsedMs} ms")]
    public static partial void PartitionLoaded(ILogger logger, int partition, int epoch, int transactions, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Load of __transaction_state-{Partition} (coordinator epoch {Epoch}) cancelled: leadership moved on")]
    public static partial void LoadCancelled(ILogger logger, int partition, int epoch);

    [LoggerMessage(Level = LogLevel.Error, Message = "Load of __transaction_state-{Partition} (coordinator epoch {Epoch}) failed: {Reason}")]
    public static partial void LoadFailed(ILogger logger, int partition, int epoch, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "No longer coordinating the transactional ids of __transaction_state-{Partition} (leader epoch {Epoch})")]
    public static partial void Resigned(ILogger logger, int partition, int epoch);
}
