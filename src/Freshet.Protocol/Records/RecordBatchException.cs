namespace Freshet.Protocol.Records;

/// <summary>Thrown by the convenience readers when a batch is invalid; the Try* methods return the same <see cref="RecordBatchError"/> instead.</summary>
public sealed class RecordBatchException(RecordBatchError error)
    : Exception($"Invalid record batch: {error}.")
{
    public RecordBatchError Error { get; } = error;
}
