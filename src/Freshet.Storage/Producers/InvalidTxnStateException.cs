namespace Freshet.Storage.Producers;

/// <summary>A producer's write does not fit the state of its transaction on the partition (INVALID_TXN_STATE).</summary>
public sealed class InvalidTxnStateException : ProducerStateException
{
    public InvalidTxnStateException()
    {
    }

    public InvalidTxnStateException(string message)
        : base(message)
    {
    }

    public InvalidTxnStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
