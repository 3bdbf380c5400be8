namespace Freshet.Storage.Producers;

/// <summary>A transaction a marker ended on the partition: from its first batch to the marker's offset.</summary>
internal readonly record struct CompletedTxn(long ProducerId, long FirstOffset, long LastOffset, bool IsAborted);
