namespace Freshet.Storage;

/// <summary>
/// What an append assigned. <see cref="LogAppendTimeMs"/> is the broker's stamp when the log uses
/// LogAppendTime, otherwise -1.
/// </summary>
public readonly record struct LogAppendInfo(long FirstOffset, long LastOffset, long MaxTimestamp, long LogAppendTimeMs, int Bytes);
