namespace Freshet.Storage.Producers;

/// <summary>A producer's batch does not follow its last sequence number (OUT_OF_ORDER_SEQUENCE_NUMBER).</summary>
public sealed class OutOfOrderSequenceException : ProducerStateException
{
    public OutOfOrderSequenceException()
    {
    }

    public OutOfOrderSequenceException(string message)
        : base(message)
    {
    }

    public OutOfOrderSequenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
