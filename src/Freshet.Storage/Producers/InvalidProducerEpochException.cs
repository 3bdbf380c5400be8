namespace Freshet.Storage.Producers;

/// <summary>A producer wrote with an epoch older than the partition has seen from it (INVALID_PRODUCER_EPOCH).</summary>
public sealed class InvalidProducerEpochException : ProducerStateException
{
    public InvalidProducerEpochException()
    {
    }

    public InvalidProducerEpochException(string message)
        : base(message)
    {
    }

    public InvalidProducerEpochException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
