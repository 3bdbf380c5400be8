namespace Freshet.Storage;

/// <summary>
/// An aborted transaction as the <c>.txnindex</c> keeps it: the producer, its first offset, the offset of its
/// ABORT marker, and the last stable offset once it ended (read_committed fetches stop searching there).
/// </summary>
public readonly record struct AbortedTxn(long ProducerId, long FirstOffset, long LastOffset, long LastStableOffset);
