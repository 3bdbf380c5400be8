namespace Freshet.Storage;

/// <summary>
/// The partition's log dir is offline after an I/O error (Kafka's KafkaStorageException, KAFKA_STORAGE_ERROR).
/// It derives from <see cref="IOException"/> so that callers handling I/O errors handle it too.
/// </summary>
public sealed class KafkaStorageException : IOException
{
    public KafkaStorageException()
    {
    }

    public KafkaStorageException(string message)
        : base(message)
    {
    }

    public KafkaStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
