using Freshet.Protocol.Records;

namespace Freshet.Broker.Topics;

/// <summary>
/// One entry of an internal topic read back at start-up: a data record with the producer of its batch
/// (-1 and not transactional for the coordinator's own writes), or the transaction marker of a control batch.
/// </summary>
internal readonly record struct InternalLogEntry(int Partition, Record Record, long ProducerId, bool IsTransactional, TxnMarkerType? Marker)
{
    public bool IsMarker => Marker is not null;
}

/// <summary>The control record types of a transaction marker (key: version int16, then this type as int16).</summary>
internal enum TxnMarkerType : short
{
    Abort = 0,
    Commit = 1,
}
