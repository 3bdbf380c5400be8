using Freshet.Broker.Configuration;

namespace Freshet.Broker.Transactions;

/// <summary>The transaction settings the coordinator acts on, taken from the broker's options.</summary>
internal sealed record TransactionCoordinatorOptions
{
    /// <summary>transaction.max.timeout.ms</summary>
    public int MaxTimeoutMs { get; init; } = 900000;

    /// <summary>transaction.abort.timed.out.transaction.cleanup.interval.ms; stuck markers are retried as often.</summary>
    public TimeSpan AbortTimedOutInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>transactional.id.expiration.ms</summary>
    public TimeSpan TransactionalIdExpiration { get; init; } = TimeSpan.FromDays(7);

    /// <summary>transaction.remove.expired.transaction.cleanup.interval.ms</summary>
    public TimeSpan RemoveExpiredInterval { get; init; } = TimeSpan.FromHours(1);

    public static TransactionCoordinatorOptions From(BrokerOptions options) => new()
    {
        MaxTimeoutMs = options.TransactionMaxTimeoutMs,
        AbortTimedOutInterval = TimeSpan.FromMilliseconds(options.TransactionAbortTimedOutTransactionCleanupIntervalMs),
        TransactionalIdExpiration = TimeSpan.FromMilliseconds(options.TransactionalIdExpirationMs),
        RemoveExpiredInterval = TimeSpan.FromMilliseconds(options.TransactionRemoveExpiredTransactionCleanupIntervalMs),
    };
}
