namespace Freshet.Storage.Producers;

/// <summary>An append refused by the partition's producer state; nothing of it was written.</summary>
public abstract class ProducerStateException : Exception
{
    protected ProducerStateException()
    {
    }

    protected ProducerStateException(string message)
        : base(message)
    {
    }

    protected ProducerStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
