using Freshet.Protocol.Messages;

namespace Freshet.Broker.Topics;

/// <summary>
/// An append to an internal topic, in two steps as Kafka's coordinators do with acks=all: the local append (refused
/// at once with <see cref="Error"/>, or written at <see cref="LogOffset"/>), then <see cref="DurableAsync"/>, which
/// completes once every in-sync replica has the records. Coordinators append under their locks and wait outside them;
/// a state change is adopted, and answered, only once it is durable. With one replica it is durable on return.
/// </summary>
internal readonly struct InternalWrite
{
    private readonly Task<ErrorCode>? _replication;

    private InternalWrite(ErrorCode error, long logOffset, Task<ErrorCode>? replication)
    {
        Error = error;
        LogOffset = logOffset;
        _replication = replication;
    }

    /// <summary>The local append's outcome, already mapped to the coordinator error a client gets.</summary>
    public ErrorCode Error { get; }

    /// <summary>The offset of the last record written; -1 when the append was refused.</summary>
    public long LogOffset { get; }

    /// <summary>The final outcome when it is known now: refused, or already replicated to every in-sync replica.</summary>
    public bool TryGetOutcome(out ErrorCode outcome)
    {
        if (_replication is null)
        {
            outcome = Error;
            return true;
        }
        outcome = _replication.IsCompletedSuccessfully ? _replication.Result : ErrorCode.None;
        return _replication.IsCompletedSuccessfully;
    }

    public static InternalWrite Failed(ErrorCode error) => new(error, -1, null);

    public static InternalWrite Durable(long logOffset) => new(ErrorCode.None, logOffset, null);

    /// <summary>Written locally at <paramref name="logOffset"/>; <paramref name="replication"/> gives the final outcome.</summary>
    public static InternalWrite Replicating(long logOffset, Task<ErrorCode> replication) => new(ErrorCode.None, logOffset, replication);

    /// <summary>The final outcome: None once the high watermark passed the records, the mapped error otherwise.</summary>
    public ValueTask<ErrorCode> DurableAsync() =>
        _replication is null ? ValueTask.FromResult(Error) : new ValueTask<ErrorCode>(_replication);

    /// <summary>
    /// Kafka's mapping of a failed internal append to what a coordinator answers: a retriable COORDINATOR_NOT_AVAILABLE
    /// while the replicas cannot take it, NOT_COORDINATOR once this broker no longer leads the partition.
    /// </summary>
    public static ErrorCode CoordinatorError(ErrorCode appendError) => appendError switch
    {
        ErrorCode.UnknownTopicOrPartition or ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend or ErrorCode.RequestTimedOut
            => ErrorCode.CoordinatorNotAvailable,
        ErrorCode.NotLeaderOrFollower or ErrorCode.KafkaStorageError => ErrorCode.NotCoordinator,
        _ => appendError,
    };
}
