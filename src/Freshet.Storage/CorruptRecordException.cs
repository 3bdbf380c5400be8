namespace Freshet.Storage;

/// <summary>Bytes handed to an append do not frame as magic-2 record batches.</summary>
public sealed class CorruptRecordException : Exception
{
    public CorruptRecordException()
    {
    }

    public CorruptRecordException(string message)
        : base(message)
    {
    }

    public CorruptRecordException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
