namespace Freshet.Storage.Producers;

/// <summary>A producer the partition holds state for, as DescribeProducers reports it; -1 where there is nothing.</summary>
public readonly record struct ActiveProducer(long ProducerId, short Epoch, int LastSequence, long LastTimestamp, int CoordinatorEpoch, long CurrentTxnFirstOffset);
