namespace Freshet.Storage;

/// <summary>A batch is larger than max.message.bytes or than a whole segment.</summary>
public sealed class RecordBatchTooLargeException : Exception
{
    public RecordBatchTooLargeException()
    {
    }

    public RecordBatchTooLargeException(string message)
        : base(message)
    {
    }

    public RecordBatchTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
