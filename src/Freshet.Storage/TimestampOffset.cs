namespace Freshet.Storage;

public readonly record struct TimestampOffset(long Timestamp, long Offset);
