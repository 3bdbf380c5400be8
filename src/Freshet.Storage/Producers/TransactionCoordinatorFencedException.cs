namespace Freshet.Storage.Producers;

/// <summary>A transaction marker comes from an older coordinator than the last one seen (TRANSACTION_COORDINATOR_FENCED).</summary>
public sealed class TransactionCoordinatorFencedException : ProducerStateException
{
    public TransactionCoordinatorFencedException()
    {
    }

    public TransactionCoordinatorFencedException(string message)
        : base(message)
    {
    }

    public TransactionCoordinatorFencedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
