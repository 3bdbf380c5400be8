namespace Freshet.Storage;

/// <summary>
/// What an append assigned. <see cref="LogAppendTimeMs"/> is the broker's stamp when the log uses
/// LogAppendTime, otherwise -1. <see cref="IsDuplicate"/>: the batch was a producer's retry of a batch already in
/// the log, which was not written again; the offsets are the original's.
/// </summary>
public readonly record struct LogAppendInfo(long FirstOffset, long LastOffset, long MaxTimestamp, long LogAppendTimeMs, int Bytes, bool IsDuplicate = false);
